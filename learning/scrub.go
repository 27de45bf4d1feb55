package learning

import "github.com/shopdesk/shopdesk/redact"

// Scrub removes the personal data of a shopper's question, so it can be
// kept as a phrasing: what package redact finds (e-mail addresses, phone
// numbers, order numbers, postcodes, introduced names, addresses), taken
// out rather than replaced, so the phrasing matches on its words alone.
// SKUs stay: they name products, not people. What is kept is meant for
// staff review (mode review) before it is indexed.
func Scrub(text string) string { return redact.Remove(text) }
