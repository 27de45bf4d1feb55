package prompts

import (
	"regexp"
	"strings"
)

// Persona is how a merchant's assistant presents itself.
type Persona struct {
	// Merchant is the shop's name as shoppers know it; empty, replies
	// speak of "our team" and "我们的资料" instead of a name.
	Merchant string
	// MerchantZh is the shop's Chinese name, used in Chinese replies;
	// empty means Merchant.
	MerchantZh string
	// Assistant is the assistant's own name.
	Assistant string
	// Style is extra guidance on tone and manner, written by the merchant
	// (for example "Be warm and brief; call the shopper by name.").
	Style string
}

// Source is one numbered passage an answer may use and cite.
type Source struct {
	N     int
	Title string
	URL   string
	Text  string
}

// Answer is everything the assistant's system prompt is built from.
type Answer struct {
	Persona Persona
	// Language is the reply language: "zh" or "en".
	Language string
	// Negative asks for the acknowledge-apologise-act tone.
	Negative bool
	// Summary condenses turns too old to include in full.
	Summary string
	// Details are facts gathered earlier ("Order number: HL-100101").
	Details []string
	Sources []Source
}

// AnswerSystem renders the system prompt of a grounded answer: the rules,
// the tone, the conversation's memory and the sources, fenced as data.
// Text from documents and shoppers cannot close the fence: anything
// shaped like its tags is defused first.
func AnswerSystem(a Answer) string {
	a.Persona = a.Persona.in(a.Language)
	a.Summary = Defuse(a.Summary)
	a.Details = append([]string(nil), a.Details...)
	for i, d := range a.Details {
		a.Details[i] = Defuse(oneLine(d))
	}
	srcs := make([]Source, len(a.Sources))
	for i, s := range a.Sources {
		srcs[i] = Source{N: s.N, Title: attr(s.Title), URL: attr(s.URL), Text: Defuse(strings.TrimSpace(s.Text))}
	}
	a.Sources = srcs
	return render("assistant_system.tmpl", a)
}

// Turn is one message of a conversation, for summarising.
type Turn struct {
	Role    string
	Content string
}

// ConversationSummary asks the model to fold turns into the running
// summary previous.
func ConversationSummary(previous string, turns []Turn) string {
	ts := make([]Turn, len(turns))
	for i, t := range turns {
		ts[i] = Turn{Role: t.Role, Content: Defuse(oneLine(t.Content))}
	}
	return render("conversation_summary.tmpl", struct {
		Previous string
		Turns    []Turn
	}{Defuse(previous), ts})
}

// DontKnow is the honest reply when the sources do not answer.
func DontKnow(language string, p Persona) string {
	return render("reply_dont_know.tmpl", replyData{Language: language, Merchant: p.in(language).Merchant})
}

// Handoff tells the shopper that a person takes over, and what happens
// next. reason and topic are the hand-off's: a safety incident first asks
// them to get help, a negative mood adds an apology.
func Handoff(language, reason, topic string, p Persona) string {
	return render("reply_handoff.tmpl", replyData{Language: language, Merchant: p.in(language).Merchant, Reason: reason, Topic: topic})
}

// Unavailable is the reply when no model can answer and no FAQ entry
// matches.
func Unavailable(language string) string {
	return render("reply_unavailable.tmpl", replyData{Language: language})
}

type replyData struct {
	Language string
	Merchant string
	Reason   string
	Topic    string
}

// in returns the persona as shown in language, with defaults filled in;
// a merchant without a name stays unnamed.
func (p Persona) in(language string) Persona {
	if language == "zh" && strings.TrimSpace(p.MerchantZh) != "" {
		p.Merchant = p.MerchantZh
	}
	p.Merchant = strings.TrimSpace(p.Merchant)
	if strings.TrimSpace(p.Assistant) == "" {
		p.Assistant = "the shop assistant"
	}
	return p
}

// fenceTag matches anything that reads as a tag of the prompt's fences,
// with any spacing or case.
var fenceTag = regexp.MustCompile(`(?i)<\s*/?\s*(sources?|conversation)\b[^>]*>?`)

// Defuse rewrites text so that nothing in it can open or close one of the
// prompt's data fences.
func Defuse(text string) string {
	return fenceTag.ReplaceAllStringFunc(text, func(m string) string {
		return "‹" + strings.Trim(m, "<>") + "›"
	})
}

func attr(s string) string {
	s = Defuse(oneLine(s))
	return strings.NewReplacer(`"`, "'", "<", "‹", ">", "›").Replace(s)
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}
