// Package sentiment tells whether a shopper's message, in Chinese or
// English, is negative, neutral or positive.
//
// Classify is a lexicon with rules (negation, intensifiers and
// diminishers, contrast, capitals, "!!!" and "？？", emoji, yes/no
// questions): a few microseconds a message, no I/O, safe for concurrent
// use. Learned (Default) is a model trained from examples that also takes
// the lexicon's verdict as features, and tells whether the shopper asks
// for a person. Model asks a language model instead and falls back to
// Classify.
package sentiment

import "math"

// Label is the class of a message's sentiment.
type Label string

// The labels Classify returns.
const (
	Negative Label = "negative"
	Neutral  Label = "neutral"
	Positive Label = "positive"
)

// NeutralBand is the half-width of the band of scores labelled Neutral:
// a score of at most -NeutralBand is Negative, at least NeutralBand
// Positive.
const NeutralBand = 0.05

// Result is a message's sentiment. Score is in [-1, 1], below 0 for
// negative; Label is LabelFor(Score). Confidence and the hand-off fields
// are set by Learned only.
type Result struct {
	Label Label   `json:"label"`
	Score float64 `json:"score"`
	// Confidence is the calibrated probability of Label, in [0, 1]; 0
	// when unknown (the lexicon, a language model).
	Confidence float64 `json:"confidence,omitempty"`
	// Handoff is HandoffRequested or HandoffHighRisk when the message
	// alone warrants a person, by the learned model; handoff.Decide
	// escalates on it. HandoffConfidence is the model's probability.
	Handoff           string  `json:"handoff,omitempty"`
	HandoffConfidence float64 `json:"handoff_confidence,omitempty"`
}

// LabelFor returns the label of a score, with NeutralBand around 0.
func LabelFor(score float64) Label {
	switch {
	case score <= -NeutralBand:
		return Negative
	case score >= NeutralBand:
		return Positive
	}
	return Neutral
}

// Tuning of the rules, on the lexicon's -3…3 scale.
const (
	negatedPositive = -0.74 // "not good" keeps three quarters of "good", reversed
	negatedNegative = -0.5  // "not bad" is only mildly positive
	capsFactor      = 1.5   // a sentiment word in capitals, among lower case
	emphaticNot     = -0.8  // "NOT waterproof": a capitalized negator with no sentiment word
	contrastBefore  = 0.5   // "good, but…": what came before counts half
	contrastAfter   = 1.5   // … and what follows half again
	questionDamp    = 0.1   // a yes/no question asks about, rather than expresses, feeling
	hypotheticDamp  = 0     // "what if it catches fire?" expresses none
	perExclamation  = 0.25  // each "!" (up to 4) strengthens the sentiment
	perQuestionMark = -0.3  // each "?" of a run of two or more (up to 4): frustration
	shouting        = -1.0  // a message mostly in capitals, with no positive words
	normalization   = 15.0  // score = x / sqrt(x² + normalization), as VADER
	enNegationWords = 3     // words a negator reaches in English ("not very good")
	zhNegationChars = 2     // characters a negator reaches in Chinese ("不是很满意")
	boosterReach    = 3     // words or characters an intensifier reaches
)

// Classify scores text with the lexicon and rules. It never fails: text
// without sentiment words, such as a plain question, is Neutral with
// score 0.
func Classify(text string) Result {
	t := getTokenizer()
	defer t.release()
	t.run(text)
	s := scorer{
		contrast:   1,
		clauseHead: true,
		shouting:   t.capsWords >= 3 && t.capsWords*10 >= t.words*6,
	}
	s.walk(t.toks)
	total := s.finish(t.lastBreak == '?')

	if t.questionRun >= 2 && total <= 0 {
		total += perQuestionMark * float64(min(t.questionRun, 4))
	}
	if t.exclamations > 0 && total != 0 {
		total += math.Copysign(perExclamation*float64(min(t.exclamations, 4)), total)
	}
	if s.shouting && total <= 0 {
		total += shouting
	}
	score := total / math.Sqrt(total*total+normalization)
	score = max(-1, min(1, score))
	if math.IsNaN(score) {
		score = 0
	}
	return Result{Label: LabelFor(score), Score: score}
}

// scorer adds up sentiment over the resolved entries, clause by clause.
type scorer struct {
	shouting bool // capitals are the whole message's, not emphasis

	total    float64 // finished clauses
	condSum  float64 // finished conditional clauses, kept apart
	contrast float64 // factor for what follows a "but"

	clause     float64
	clauseQ    int  // 1: opens like an English yes/no question; 2: has a Chinese question marker
	clauseCond bool // contains "if" / "如果"
	clauseHead bool // no word seen yet in this clause

	neg      int  // words the pending negator still reaches
	negCaps  bool // the pending negator was in capitals
	boost    float64
	boostFor int // words the pending booster still reaches
}

// word handles a word or Chinese character with no entry of its own.
func (s *scorer) word() {
	s.clauseHead = false
	if s.neg > 0 {
		s.neg--
	}
	if s.boostFor > 0 {
		s.boostFor--
		if s.boostFor == 0 {
			s.boost = 0
		}
	}
}

func (s *scorer) entry(e entry, caps, zh bool) {
	switch e.role {
	case roleSentiment:
		if e.w == 0 {
			s.word()
			return
		}
		s.sentiment(e.w, caps)
	case roleNegator:
		s.neg = enNegationWords
		if zh {
			s.neg = zhNegationChars
		}
		s.negCaps = caps && !s.shouting
		s.clauseHead = false
	case roleBooster:
		s.boost += e.w
		s.boostFor = boosterReach
		s.clauseHead = false
	case roleContrast:
		s.total *= contrastBefore
		s.condSum *= contrastBefore
		s.clause *= contrastBefore
		s.contrast = contrastAfter
		s.neg, s.negCaps, s.boost, s.boostFor = 0, false, 0, 0
		s.clauseHead = false
	case roleYesNo:
		if zh {
			s.clauseQ = 2
		} else if s.clauseHead {
			s.clauseQ = 1
		}
		s.word()
	case roleConditional:
		s.clauseCond = true
		s.word()
	}
}

func (s *scorer) sentiment(w float64, caps bool) {
	v := w
	if s.boost != 0 {
		v *= max(0.2, 1+s.boost)
	}
	if caps && !s.shouting {
		v *= capsFactor
	}
	if s.neg > 0 {
		if v > 0 {
			v *= negatedPositive
		} else {
			v *= negatedNegative
		}
		if s.negCaps {
			v *= capsFactor
		}
	}
	s.clause += v * s.contrast
	s.clauseHead = false
	s.neg, s.negCaps, s.boost, s.boostFor = 0, false, 0, 0
}

// brk ends a clause at punctuation p ('?', '!', '.') or at the end (0).
func (s *scorer) brk(p byte) {
	if s.negCaps {
		s.clause += emphaticNot * s.contrast
	}
	if s.clauseQ == 2 || s.clauseQ == 1 && p == '?' {
		s.clause *= questionDamp
	}
	if s.clauseCond {
		s.condSum += s.clause
	} else {
		s.total += s.clause
	}
	s.clause, s.clauseQ, s.clauseCond, s.clauseHead = 0, 0, false, true
	s.neg, s.negCaps, s.boost, s.boostFor = 0, false, 0, 0
}

// finish ends the last clause and returns the raw total. A hypothetical
// inside a question ("what if it catches fire?") does not count.
func (s *scorer) finish(endsInQuestion bool) float64 {
	s.brk(0)
	if endsInQuestion {
		return s.total + s.condSum*hypotheticDamp
	}
	return s.total + s.condSum
}
