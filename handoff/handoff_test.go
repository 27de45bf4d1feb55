package handoff

import (
	"testing"

	"github.com/shopdesk/shopdesk/sentiment"
)

func TestDecide(t *testing.T) {
	neg := sentiment.Result{Label: sentiment.Negative, Score: -0.5}
	neu := sentiment.Result{Label: sentiment.Neutral}
	escalate := func(reason, topic string) Decision { return Decision{Escalate: true, Reason: reason, Topic: topic} }
	for _, tc := range []struct {
		name  string
		rules Rules
		s     Signals
		want  Decision
	}{
		{"nothing", Rules{}, Signals{Message: "Where is my order?", Sentiment: neu}, Decision{}},
		{"one negative turn is not enough", Rules{}, Signals{Message: "late again", Sentiment: neg, NegativeStreak: 1}, Decision{}},
		{"two negative turns by default", Rules{}, Signals{Message: "late again", Sentiment: neg, NegativeStreak: 2}, escalate(ReasonNegative, "")},
		{"streak counts only if this turn is negative", Rules{}, Signals{Message: "ok", Sentiment: neu, NegativeStreak: 3}, Decision{}},
		{"custom negative threshold", Rules{NegativeTurns: 3}, Signals{Message: "late", Sentiment: neg, NegativeStreak: 2}, Decision{}},
		{"negative rule off", Rules{NegativeTurns: -1}, Signals{Message: "late", Sentiment: neg, NegativeStreak: 9}, Decision{}},
		{"one unanswered is not enough", Rules{}, Signals{Message: "hm", Sentiment: neu, Unanswered: 1}, Decision{}},
		{"two unanswered by default", Rules{}, Signals{Message: "hm", Sentiment: neu, Unanswered: 2}, escalate(ReasonUnanswered, "")},
		{"unanswered rule off", Rules{UnansweredTurns: -1}, Signals{Message: "hm", Unanswered: 5}, Decision{}},
		{"requested beats negative", Rules{}, Signals{Message: "get me a human", Sentiment: neg, NegativeStreak: 5, Unanswered: 5}, escalate(ReasonRequested, "")},
		{"negative beats unanswered", Rules{}, Signals{Message: "late", Sentiment: neg, NegativeStreak: 2, Unanswered: 2}, escalate(ReasonNegative, "")},
		{"high risk beats everything", Rules{}, Signals{Message: "I'll sue you, get me a manager", Sentiment: neg, NegativeStreak: 5, Unanswered: 5}, escalate(ReasonHighRisk, TopicLegal)},
		{"high risk on the first turn", Rules{}, Signals{Message: "充电宝起火了", Sentiment: neg, NegativeStreak: 1}, escalate(ReasonHighRisk, TopicSafety)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := tc.rules.Decide(tc.s); got != tc.want {
				t.Errorf("Decide(%+v) = %+v, want %+v", tc.s, got, tc.want)
			}
		})
	}
}
