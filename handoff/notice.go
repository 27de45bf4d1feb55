package handoff

// Notice is what the shopper is told once a conversation is escalated,
// in Chinese for language "zh" and in English otherwise: that a person
// from the support team takes over in this conversation and that nothing
// needs repeating. For a safety incident it first asks them to stop using
// the product and get help. It is empty if d does not escalate.
func Notice(language string, d Decision) string {
	if !d.Escalate {
		return ""
	}
	zh := language == "zh"
	lead := ""
	switch {
	case d.Topic == TopicSafety:
		lead = pick(zh, "I'm very sorry to hear this. If anyone is hurt, please stop using the product and get medical help or call your local emergency number first. ",
			"非常抱歉发生这样的情况。如有人受伤，请先停止使用该商品，并尽快就医或拨打当地急救电话。")
	case d.Reason == ReasonRequested:
		lead = pick(zh, "Of course. ", "好的。")
	case d.Reason == ReasonNegative:
		lead = pick(zh, "I'm sorry this has been frustrating. ", "很抱歉给您带来了不好的体验。")
	case d.Reason == ReasonUnanswered:
		lead = pick(zh, "I'm sorry I couldn't answer that myself. ", "抱歉，这个问题我没能为您解答。")
	}
	return lead + pick(zh,
		"I've passed this conversation to a member of our support team. They can see everything you've written here and will reply in this conversation as soon as they can, so you don't need to repeat anything.",
		"我已将本次对话转交给人工客服。他们能看到您在这里的全部留言，会尽快在此对话中回复您，您无需重复说明。")
}

func pick(zh bool, en, zhText string) string {
	if zh {
		return zhText
	}
	return en
}
