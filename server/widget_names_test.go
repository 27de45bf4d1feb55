package server

import (
	"net/url"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/staff"
)

// A reply from the console reaches the shopper's widget as the support
// team's, never under the agent's login name; the console keeps the name.
func TestWidgetHidesStaffLoginNames(t *testing.T) {
	const login = "mei.lin-7"
	people := openStaff(t, staff.Options{}, "acme", login)
	e := newWidgetEnv(t, func(o *Options) { o.Staff = people })
	tok := e.session(t, originA, pkA)
	_, done := e.chat(t, tok, `{"message":"Where is my parcel?"}`)
	if done.ConversationID == "" {
		t.Fatal("no conversation")
	}
	events := e.follow(t, tok, done.ConversationID, "")

	agent := (&consoleFixture{ts: e.ts}).browser(t).login("acme", login)
	path := "/console/conversations/" + done.ConversationID
	if status, body := agent.post(path+"/claim", nil); status != 303 {
		t.Fatalf("claim: %d %s", status, body)
	}
	if status, body := agent.post(path+"/reply", url.Values{"text": {"Hello from the desk."}}); status != 303 {
		t.Fatalf("reply: %d %s", status, body)
	}
	for _, want := range []string{"claimed", "message"} {
		if ev := next(t, events); ev.Name != want || strings.Contains(ev.Data, login) {
			t.Fatalf("the widget's %s event: %+v", want, ev)
		}
	}
	resp, body := e.call(t, "GET", "/widget/v1/conversation?id="+done.ConversationID, originA, pkA, tok, "")
	if resp.StatusCode != 200 || !strings.Contains(body, "Hello from the desk.") || !strings.Contains(body, `"held":true`) || strings.Contains(body, login) {
		t.Fatalf("the widget's conversation: %d %s", resp.StatusCode, body)
	}
	// Staff still see who wrote it.
	if _, body, _ := agent.do("GET", path, nil); !strings.Contains(body, login) {
		t.Fatalf("the transcript lacks the author: %s", body)
	}
}
