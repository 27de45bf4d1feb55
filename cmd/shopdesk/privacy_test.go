package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/shopdesk/shopdesk/conversation"
	"github.com/shopdesk/shopdesk/inference/ollamatest"
	"github.com/shopdesk/shopdesk/sqlite"
)

func TestEraseCustomerAPI(t *testing.T) {
	in := startShopdesk(t, ollamatest.Shared(t).URL, nil, "--ingest", demoKnowledge+"/faq.en.jsonl",
		"--vector-store", "none", "--commerce-import", demoImports)
	mine := in.chat(t, `{"customer_id":"C001","message":"Where is my order HL-100101?"}`)
	// An anonymous conversation in which the shopper gave their email.
	anon := in.chat(t, `{"message":"My email is emily.carter@example.com, where is order HL-100101?"}`)
	other := in.chat(t, `{"customer_id":"C002","message":"Where is my order HL-100102?"}`)

	req, _ := http.NewRequest(http.MethodDelete, in.base+"/api/customers/C001/data", nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var got struct {
		Customer      string `json:"customer_id"`
		Conversations int
		Messages      int
		Kept          []string
	}
	if err := json.NewDecoder(resp.Body).Decode(&got); err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	if got.Customer != "C001" || got.Conversations != 2 || got.Messages != 4 || len(got.Kept) == 0 {
		t.Fatalf("erasure %+v", got)
	}
	for _, id := range []string{mine.ConversationID, anon.ConversationID} {
		if status, _ := in.get(t, "/api/conversations/"+id); status != 404 {
			t.Errorf("conversation %s still there: %d", id, status)
		}
	}
	if status, _ := in.get(t, "/api/conversations/"+other.ConversationID); status != 200 {
		t.Errorf("another customer's conversation: %d", status)
	}
	req, _ = http.NewRequest(http.MethodDelete, in.base+"/api/customers/%2e%2e%2Fx/data", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode/100 != 4 {
		t.Errorf("a path-like customer ID: %v %v", resp.StatusCode, err)
	}
}

func TestEraseCustomerCommand(t *testing.T) {
	data := t.TempDir()
	db, err := sqlite.Open(filepath.Join(data, "shopdesk.db"))
	if err != nil {
		t.Fatal(err)
	}
	convs, err := conversation.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct{ id, customer string }{{"a", "C001"}, {"b", "C001"}, {"c", "C002"}} {
		if err := convs.Save(context.Background(), &conversation.Conversation{ID: c.id, Tenant: "default", CustomerID: c.customer},
			[]conversation.Message{{Role: "user", Content: "hi"}}, nil); err != nil {
			t.Fatal(err)
		}
	}
	db.Close()
	out, err := runCmd(t, "erase-customer", "--data", data, "C001")
	if err != nil || !strings.Contains(out, "2 conversation(s) with 2 message(s)") {
		t.Fatalf("%v\n%s", err, out)
	}
	out, err = runCmd(t, "erase-customer", "--data", data, "--json", "C002")
	if err != nil || !strings.Contains(out, `"conversations":1`) {
		t.Fatalf("%v\n%s", err, out)
	}
	if _, err := runCmd(t, "erase-customer", "--data", data); err == nil {
		t.Error("no customer ID accepted")
	}
	if _, err := runCmd(t, "erase-customer", "--data", data, "--tenant", "../x", "C1"); err == nil {
		t.Error("a bad tenant accepted")
	}
}

func TestUsersCommand(t *testing.T) {
	data := t.TempDir()
	users := func(env map[string]string, args ...string) (string, error) {
		var out, errs bytes.Buffer
		err := run(context.Background(), append([]string{"shopdesk", "users"}, args...), func(k string) string { return env[k] }, &out, &errs)
		return out.String() + errs.String(), err
	}
	pw := map[string]string{"SHOPDESK_PASSWORD": "correct horse battery"}
	if out, err := users(pw, "add", "--data", data, "--tenant", "acme", "--role", "admin", "mei"); err != nil || !strings.Contains(out, "added mei (admin) to tenant acme") {
		t.Fatalf("%v %s", err, out)
	}
	if _, err := users(pw, "add", "--data", data, "--tenant", "acme", "mei"); err == nil {
		t.Error("a duplicate account")
	}
	if _, err := users(map[string]string{"SHOPDESK_PASSWORD": "short"}, "add", "--data", data, "tom"); err == nil {
		t.Error("a short password")
	}
	if _, err := users(nil, "add", "--data", data, "tom"); err == nil || !strings.Contains(err.Error(), "SHOPDESK_PASSWORD") {
		t.Errorf("no password: %v", err)
	}
	if out, err := users(nil, "list", "--data", data, "--tenant", "acme"); err != nil || !strings.Contains(out, "mei") || !strings.Contains(out, "admin") {
		t.Fatalf("%v %s", err, out)
	}
	if out, err := users(nil, "role", "--data", data, "--tenant", "acme", "--role", "agent", "mei"); err != nil || !strings.Contains(out, "now agent") {
		t.Fatalf("%v %s", err, out)
	}
	if _, err := users(nil, "remove", "--data", data, "--tenant", "acme", "nobody"); err == nil {
		t.Error("removed nobody")
	}
	if _, err := users(nil, "frobnicate", "--data", data); err == nil {
		t.Error("an unknown verb")
	}
}
