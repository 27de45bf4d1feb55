package training

import (
	"context"
	"fmt"
	"time"

	"github.com/shopdesk/shopdesk/lang"
	"github.com/shopdesk/shopdesk/prompts"
)

// Approved is a question and the answer the shop approved for it: a
// curated answer, or an FAQ candidate accepted from a person's reply.
type Approved struct {
	Question string
	// Alternates are other wordings of the question (curated answers).
	Alternates []string
	Answer     string
	Lang       string
	At         time.Time
}

// ApprovedAnswers is the Source of answers the shop approved: each
// question (and each alternate wording) with its answer is an example,
// answered with the approved text as its one source. List returns the
// tenant's approved answers.
type ApprovedAnswers struct {
	// Kind is the Example.Source of its examples (SourceCurated or
	// SourceFAQCandidate).
	Kind    string
	List    func(ctx context.Context, tenant string) ([]Approved, error)
	Persona func(tenant string) prompts.Persona
}

// Examples returns the examples of the answers approved at or after since.
func (s ApprovedAnswers) Examples(ctx context.Context, tenant string, since time.Time) ([]Example, error) {
	list, err := s.List(ctx, tenant)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.Kind, err)
	}
	var out []Example
	for _, a := range list {
		if a.At.Before(since) {
			continue
		}
		for _, q := range append([]string{a.Question}, a.Alternates...) {
			p := prompts.Answer{Language: a.Lang, Sources: []prompts.Source{{N: 1, Title: a.Question, Text: a.Answer}}}
			if p.Language == "" {
				p.Language = lang.Detect(q)
			}
			if s.Persona != nil {
				p.Persona = s.Persona(tenant)
			}
			out = append(out, Example{System: prompts.AnswerSystem(p), User: q, Assistant: a.Answer + " [1]", Source: s.Kind,
				At: a.At, Public: []string{a.Answer}})
		}
	}
	return out, nil
}
