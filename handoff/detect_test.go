package handoff

import "testing"

func TestDetect(t *testing.T) {
	requested := Decision{Escalate: true, Reason: ReasonRequested}
	risk := func(topic string) Decision { return Decision{Escalate: true, Reason: ReasonHighRisk, Topic: topic} }
	for _, tc := range []struct {
		text string
		want Decision
	}{
		// Requests for a person.
		{"I want to talk to a real person", requested},
		{"can I speak to someone", requested},
		{"Please transfer me to a live agent.", requested},
		{"Get me a human, this bot is useless.", requested},
		{"Is there a human I can chat with?", requested},
		{"Agent", requested},
		{"Stop the bot. Human please.", requested},
		{"I don't want to chat with a bot anymore.", requested},
		{"转人工", requested},
		{"人工客服在吗", requested},
		{"人工", requested},
		{"人工，快点", requested},
		{"Can you call me when it ships?", requested}, // the assistant cannot call
		{"Nice people!", Decision{}},
		{"有没有真人客服？", requested},
		{"叫你们经理出来！", requested},
		{"我不要机器人，我要找人工客服。", requested},
		// Not requests.
		{"is this jacket made by humans", Decision{}},
		{"Does the wig use real human hair?", Decision{}},
		{"Can I get a human-size version of the dog costume?", Decision{}},
		{"Can someone tell me if the blender is dishwasher safe?", Decision{}},
		{"I spoke to someone yesterday about my refund.", Decision{}},
		{"Which shipping agent do you use?", Decision{}},
		{"I don't need a human, just tell me the delivery date.", Decision{}},
		{"Are you a real person?", Decision{}},
		{"Can I talk to you about a custom order?", Decision{}},
		{"这个是人工智能音箱吗？", Decision{}},
		{"请问有没有人工合成的成分？", Decision{}},
		{"我不需要人工，告诉我快递单号就行。", Decision{}},
		{"你是真人吗？", Decision{}},
		// High risk.
		{"If I don't get a refund by Friday I'll sue you.", risk(TopicLegal)},
		{"My lawyer will be contacting you about this.", risk(TopicLegal)},
		{"再不退款我就去12315投诉你们。", risk(TopicLegal)},
		{"我会向消费者协会反映这个问题。", risk(TopicLegal)},
		{"The power bank caught fire while charging!", risk(TopicSafety)},
		{"I had an allergic reaction to the face cream.", risk(TopicSafety)},
		{"用了这个面霜脸过敏了，又红又肿。", risk(TopicSafety)},
		{"充电宝充电的时候起火了！", risk(TopicSafety)},
		{"I'm filing a chargeback with my credit card company.", risk(TopicChargeback)},
		{"I'll dispute the charge with my bank.", risk(TopicChargeback)},
		{"我要向银行申请拒付。", risk(TopicChargeback)},
		{"我已经发起信用卡争议了。", risk(TopicChargeback)},
		{"The heater caught fire, get me a manager now!", risk(TopicSafety)}, // risk beats request
		{"My son got burned and I'm calling my lawyer.", risk(TopicSafety)},  // safety first
		// Not incidents.
		{"Is this tent fire-retardant?", Decision{}},
		{"What does the warranty cover if the battery catches fire?", Decision{}},
		{"I'm allergic to latex. Do these gloves contain any?", Decision{}},
		{"Are these shoes good for the tennis court?", Decision{}},
		{"I'm sick of waiting for this refund.", Decision{}},
		{"The shoes hurt my feet after an hour.", Decision{}},
		{"No one got hurt, but the lid cracked.", Decision{}},
		{"Will my bank charge a fee if I pay in euros?", Decision{}},
		{"这个帐篷防火吗？", Decision{}},
		{"如果电池起火，保修包括吗？", Decision{}},
		{"我对花生过敏，这款饼干含花生吗？", Decision{}},
		{"电热毯会不会漏电啊？", Decision{}},
		{"这款是爆款吗？", Decision{}},
		{"可以用信用卡分期吗？", Decision{}},
		{"", Decision{}},
	} {
		t.Run(tc.text, func(t *testing.T) {
			if got := Detect(tc.text); got != tc.want {
				t.Errorf("Detect(%q) = %+v, want %+v", tc.text, got, tc.want)
			}
		})
	}
}
