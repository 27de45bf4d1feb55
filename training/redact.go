package training

import "github.com/shopdesk/shopdesk/redact"

// Redact replaces the personal data in text with placeholders (package
// redact: e-mail addresses, phone numbers, order numbers, postcodes,
// introduced names, street addresses, and each of names wherever it
// appears), keeping the sentence readable for training, and returns how
// many items it replaced.
func Redact(text string, names []string) (string, int) {
	r := redact.New(names, nil)
	out := r.Text(text)
	return out, r.Count
}
