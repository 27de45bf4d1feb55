package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/inference/ollamatest"
)

// With intent_vote auto, serve measures the embedding vote in the
// background and the classifier serves meanwhile. The measurement with
// stories260k takes over ten minutes on two cores, so it is not waited
// for here: TestVoterSwitchesOffWithTheTestModel (package intent)
// measures a sample with the same model and sees it switch itself off,
// and TestIntentsVote (package actions) the switch itself.
func TestIntentVoteIsMeasuredInTheBackground(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, map[string]string{"SHOPDESK_INTENT_VOTE": "auto"}, "--vector-store", "none")
	var st struct{ Model, Vote, VoteReason string }
	_, body := in.get(t, "/api/intents")
	json.Unmarshal([]byte(body), &st)
	if st.Model != "default" || st.Vote != "measuring" {
		t.Fatalf("at start: %s", body)
	}
	if r := in.chat(t, `{"message":"Where is my order HL-100101?"}`); r.Intent != "order_status" || r.IntentBy != "model" {
		t.Errorf("while the vote is measured: %+v", r)
	}
	off := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--vector-store", "none")
	if _, body := off.get(t, "/api/intents"); !strings.Contains(body, `"vote":"off"`) {
		t.Errorf("intent_vote off: %s", body)
	}
}
