package handoff

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hbollon/go-edlib"

	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/sentiment"
)

// Detect looks at one shopper message for the signals that need no
// history: a request for a person (ReasonRequested) or a high-risk topic
// (ReasonHighRisk, with Topic safety, legal or chargeback, in that order
// of precedence). English is matched on lower-cased words, Chinese by
// substring. A safety word inside a hypothetical or a yes/no question
// ("is this tent fire-retardant?", "会不会漏电？") is not an incident.
func Detect(text string) Decision {
	return split(text).detect()
}

func (m message) detect() Decision {
	for _, t := range riskTopics {
		if m.matches(t.en, t.zh, t.guarded) {
			return Decision{Escalate: true, Reason: ReasonHighRisk, Topic: t.topic}
		}
	}
	if m.requested() {
		return Decision{Escalate: true, Reason: ReasonRequested}
	}
	return Decision{}
}

// DetectWith is Detect, then the learned hand-off signal in mood (set by
// sentiment.Learned): a message the rules pass over escalates when the
// model reports a request for a person or a high-risk topic (with no
// Topic: the model does not tell which). The rules' decision wins, and a
// learned request is dropped when the message names a person only to
// turn one down or as part of a compound ("不用人工了", "人工合成",
// "no need for a human"): the model sees the words, not the negation;
// and when an English message names no one to be handed to ("can I talk
// to you about a custom order", "I'd like to speak about a bulk
// discount"): the model learned talk and speak from requests, but a
// request for a person names one, a team, a way of reaching them or the
// bot it wants to get away from.
func DetectWith(text string, mood sentiment.Result) Decision {
	m := split(text)
	if d := m.detect(); d.Escalate {
		return d
	}
	switch mood.Handoff {
	case sentiment.HandoffRequested:
		if m.declinesPerson() || !m.namesSomeone(text) {
			return Decision{}
		}
		return Decision{Escalate: true, Reason: ReasonRequested}
	case sentiment.HandoffHighRisk:
		return Decision{Escalate: true, Reason: ReasonHighRisk}
	}
	return Decision{}
}

// clause is a stretch of a message between punctuation.
type clause struct {
	words    []string // lower-cased English words
	text     string   // lower-cased, for Chinese substrings
	question bool     // ends with a question mark
}

type message []clause

func split(text string) message {
	var m message
	lower := strings.ToLower(text)
	start := 0
	for i, r := range lower {
		if strings.ContainsRune(".,;!?…。，；！？\n", r) {
			m = m.add(lower[start:i], r == '?' || r == '？')
			start = i + utf8.RuneLen(r)
		}
	}
	return m.add(lower[start:], false)
}

func (m message) add(text string, question bool) message {
	if strings.TrimSpace(text) == "" {
		if question && len(m) > 0 {
			m[len(m)-1].question = true
		}
		return m
	}
	words := strings.FieldsFunc(text, func(r rune) bool {
		return !(unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '’' || r == '&') || unicode.Is(unicode.Han, r)
	})
	for i, w := range words {
		words[i] = strings.Trim(strings.ReplaceAll(w, "’", "'"), "'")
	}
	return append(m, clause{words: words, text: text, question: question})
}

// hypothetical reports whether a clause asks or supposes rather than
// tells: a yes/no question, or one with "if", "如果" and the like.
func (c clause) hypothetical() bool {
	if c.question && len(c.words) > 0 && isAny(c.words[0], yesNoOpeners) {
		return true
	}
	for _, w := range c.words {
		if isAny(w, enHypothetical) {
			return true
		}
	}
	for _, s := range zhHypothetical {
		if strings.Contains(c.text, s) {
			return true
		}
	}
	return strings.HasSuffix(strings.TrimSpace(c.text), "吗")
}

// matches reports whether any clause matches an English pattern or
// contains a Chinese phrase; guarded skips hypothetical clauses.
func (m message) matches(en []pattern, zh []zhPhrase, guarded bool) bool {
	for _, c := range m {
		if guarded && c.hypothetical() {
			continue
		}
		for _, p := range en {
			if i := p.index(c.words); i >= 0 && !negated(c.words, i) {
				return true
			}
		}
		for _, z := range zh {
			if z.in(c.text) {
				return true
			}
		}
	}
	return false
}

// requested reports whether the shopper asks for a person.
func (m message) requested() bool {
	for _, c := range m {
		if c.requestsPerson() {
			return true
		}
		for _, p := range enRequest {
			if i := p.index(c.words); i >= 0 && !negated(c.words, i) {
				return true
			}
		}
		for _, z := range zhRequest {
			if z.in(c.text) {
				return true
			}
		}
		if strings.TrimSpace(c.text) == "人工" {
			return true
		}
	}
	return false
}

// declinesPerson reports whether the message names a person (in
// English a strong request target, in Chinese one of zhPersons) and every
// such mention turns one down ("no need for a human", "I don't want an
// agent", "不用人工了") or is part of a compound ("人工合成"). Only a
// refusal counts: "no human has replied" and "还没等到客服" complain of
// none, and a negation in a question ("没有人工吗") asks for one.
func (m message) declinesPerson() bool {
	named := false
	for _, c := range m {
		t := strings.TrimSpace(c.text)
		asks := c.question || strings.HasSuffix(t, "吗") || strings.HasSuffix(t, "呢")
		for i, w := range c.words {
			if !isAny(w, strongTargets) {
				continue
			}
			if !compound(c.words, i) && (asks || !refused(c.words, i)) {
				return false
			}
			named = true
		}
		for _, p := range zhPersons {
			live := false
			p.each(c.text, func(i int) bool {
				named = true
				live = !p.excepted(c.text, i) && (asks || !zhRefusedAt(c.text, i))
				return !live
			})
			if live {
				return false
			}
		}
	}
	return named
}

// refused reports whether the clause turns down the person at w[i]:
// "no need" or a negated need, want or way of reaching one before it ("I
// don't want to talk to a human", "don't transfer me to an agent"), or
// "no" right before it with nothing after but please or the like ("no
// agent please", "no human needed").
func refused(w []string, i int) bool {
	if i > 0 && w[i-1] == "no" && (i+1 == len(w) || isAny(w[i+1], refusalTails)) {
		return true
	}
	for k := 0; k < i; k++ {
		if w[k] == "no" && k+1 < i && w[k+1] == "need" {
			return true
		}
		if isAny(w[k], requestNegators) && k+1 < i && (isAny(w[k+1], refusalVerbs) || k+2 < i && isAny(w[k+2], refusalVerbs)) {
			return true
		}
	}
	return false
}

// zhRefusedAt reports whether a refusal (zhRefusals) ends within the
// three characters before text[i:].
func zhRefusedAt(text string, i int) bool {
	start := lang.RunesBefore(text, i, 3)
	for _, r := range zhRefusals {
		if strings.Contains(text[start:i], r) || strings.HasSuffix(text[:i], r) {
			return true
		}
	}
	return false
}

// requestsPerson finds, in English, a request verb followed by a person
// ("talk to a real person", "get me a human"), "is there a human…", or a
// short clause that is just a person ("Agent", "human please").
func (c clause) requestsPerson() bool {
	w := c.words
	if len(w) > 0 && len(w) <= 3 && !isAny(w[0], yesNoOpeners) {
		for i, x := range w {
			if isAny(x, shortTargets) && !compound(w, i) && !negated(w, i) {
				return true
			}
		}
	}
	for i := range w {
		if i+2 < len(w) && w[i] == "is" && w[i+1] == "there" {
			if j := skip(w, i+2, []string{"a", "an", "any", "real", "live", "actual"}); j < len(w) &&
				isAny(w[j], strongTargets) && !compound(w, j) {
				return true
			}
		}
		strong := isAny(w[i], strongVerbs)
		if !strong && !isAny(w[i], talkVerbs) || negated(w, i) {
			continue
		}
		j := skip(w, i+1, fillers)
		if j >= len(w) || j-i > 6 || compound(w, j) {
			continue
		}
		if isAny(w[j], strongTargets) || !strong && isAny(w[j], weakTargets) {
			return true
		}
	}
	return false
}

// skip returns the index of the first word at or after i not in set.
func skip(w []string, i int, set []string) int {
	for i < len(w) && isAny(w[i], set) {
		i++
	}
	return i
}

// compound reports whether w[i] is the first half of a compound such as
// "human-size" or "human hair" rather than a person.
func compound(w []string, i int) bool {
	return i+1 < len(w) && isAny(w[i+1], compoundHeads)
}

// negated reports whether one of the three words before w[i] negates it
// ("I don't need a human", "no one got hurt").
func negated(w []string, i int) bool {
	for k := max(0, i-3); k < i; k++ {
		if isAny(w[k], requestNegators) {
			return true
		}
	}
	return false
}

func isAny(w string, set []string) bool {
	for _, s := range set {
		if w == s {
			return true
		}
	}
	return false
}

// pattern is a sequence of word alternatives: "take|taking you to court".
// An alternative ending in * matches by prefix; the element "~" skips up
// to four words.
type pattern [][]string

func pat(s string) pattern {
	var p pattern
	for _, e := range strings.Fields(s) {
		p = append(p, strings.Split(e, "|"))
	}
	return p
}

// index returns where p first matches in words, or -1.
func (p pattern) index(words []string) int {
	for i := range words {
		if p.at(words, i) {
			return i
		}
	}
	return -1
}

func (p pattern) at(words []string, i int) bool {
	if len(p) == 0 {
		return true
	}
	if len(p[0]) == 1 && p[0][0] == "~" {
		for k := 0; k <= 4 && i+k <= len(words); k++ {
			if p[1:].at(words, i+k) {
				return true
			}
		}
		return false
	}
	if i >= len(words) || !wordMatches(words[i], p[0]) {
		return false
	}
	return p[1:].at(words, i+1)
}

func wordMatches(w string, alts []string) bool {
	for _, a := range alts {
		if prefix, ok := strings.CutSuffix(a, "*"); ok && strings.HasPrefix(w, prefix) || w == a {
			return true
		}
	}
	return false
}

// zhPhrase is a Chinese phrase that does not count when preceded by a
// negation ("不需要转人工") or inside one of its exceptions ("爆炸款").
// A phrase that is itself negative ("不要机器人") is not checked for
// negation.
type zhPhrase struct {
	s        string
	except   []string
	negative bool
}

func (z zhPhrase) in(text string) bool {
	found := false
	z.each(text, func(i int) bool {
		found = !z.excepted(text, i) && (z.negative || !zhNegatedAt(text, i, i+len(z.s)))
		return !found
	})
	return found
}

// each calls f with the byte offset of each place the phrase is in text,
// in order, until f returns false.
func (z zhPhrase) each(text string, f func(i int) bool) {
	for off := 0; off < len(text); {
		i := strings.Index(text[off:], z.s)
		if i < 0 || !f(off+i) {
			return
		}
		off += i + len(z.s)
	}
}

func (z zhPhrase) excepted(text string, i int) bool {
	for _, e := range z.except {
		// The exception contains the phrase; find where, and compare.
		if k := strings.Index(e, z.s); k >= 0 && i >= k && strings.HasPrefix(text[i-k:], e) {
			return true
		}
	}
	return false
}

// zhNegatedAt reports whether a negation appears in the four characters
// before the phrase at text[i:end], or overlapping it ("不需要人工" holds
// the phrase "要人工").
func zhNegatedAt(text string, i, end int) bool {
	before := text[lang.RunesBefore(text, i, 4):end]
	for _, q := range zhNotNegation {
		before = strings.ReplaceAll(before, q, "")
	}
	for _, neg := range zhNegators {
		if strings.Contains(before, neg) {
			return true
		}
	}
	return false
}

// namesSomeone reports whether the message (text, split into m) names
// someone a shopper could be handed to: one of handoffWords,
// handoffPrefixes or handoffPhrases, a person target misspelt by one
// letter ("humna", "represenative"), or a capitalised name after talk or
// speak ("can I speak to Sarah"). Chinese text always does: the model's
// Chinese requests are judged by declinesPerson alone.
func (m message) namesSomeone(text string) bool {
	if lang.HasHan(text) {
		return true
	}
	if namedAfterTalk.MatchString(text) || handoffPhrases.MatchString(strings.ToLower(text)) {
		return true
	}
	for _, c := range m {
		for _, w := range c.words {
			if isAny(w, handoffWords) || slices.ContainsFunc(handoffPrefixes, func(p string) bool { return strings.HasPrefix(w, p) }) {
				return true
			}
			if len(w) >= 4 && slices.ContainsFunc(strongTargets, func(t string) bool { return len(t) >= 5 && edlib.OSADamerauLevenshteinDistance(w, t) <= 1 }) {
				return true
			}
		}
	}
	return false
}

// namedAfterTalk is talk or speak to a capitalised name.
var namedAfterTalk = regexp.MustCompile(`(?i:talk|speak|chat)(?i: (?:to|with))(?: [A-Z][a-z]+)`)
