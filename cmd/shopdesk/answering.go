package main

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/shopdesk/shopdesk/assistant"
	"github.com/shopdesk/shopdesk/learning"
)

// choices are the values of the settings that take one of a few words,
// also per tenant.
var choices = map[string][]string{
	"answer_mode":     {assistant.AnswerGenerate, assistant.AnswerFAQFirst},
	"learn_phrasings": {learning.ModeReview, learning.ModeAuto, learning.ModeOff},
	"learn_confirm":   {learning.ConfirmThumbsUp, learning.ConfirmQuietEnd},
}

// checkChoice accepts one of the words key takes.
func checkChoice(key, v string) error {
	if !slices.Contains(choices[key], v) {
		return fmt.Errorf("want %s", strings.Join(choices[key], " or "))
	}
	return nil
}

// answerMode returns tenant t's answer_mode.
func (c *config) answerMode(t string) string {
	return cmp.Or(c.Tenants[t].AnswerMode, c.AnswerMode)
}

// learnPhrasings returns tenant t's learn_phrasings mode.
func (c *config) learnPhrasings(t string) string {
	return cmp.Or(c.Tenants[t].LearnPhrasings, c.LearnPhrasings)
}

// learnConfirm returns tenant t's learn_confirm rule, for
// learning.ConfirmedTurns.
func (c *config) learnConfirm(t string) string {
	return cmp.Or(c.Tenants[t].LearnConfirm, c.LearnConfirm)
}
