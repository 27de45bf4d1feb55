package learning

import (
	"regexp"
	"strings"

	"github.com/shopdesk/shopdesk/mention"
)

// Scrub removes the personal data of a shopper's question, so it can be
// kept as a phrasing: e-mail addresses, phone numbers, order numbers and
// postcodes (as package mention finds them), names introduced as names
// ("my name is Jane Doe", "this is Jane", "name: Jane", "我叫王芳",
// "我的名字是王芳"), and addresses introduced as addresses ("I live at …",
// "my address is …", "地址是…", "住在…", up to the end of the clause) or
// shaped like one (a number before a street word: "12 Harbor Lane", "5
// Elm St"; a Chinese road, street or lane with a number: "中山路88号").
// SKUs stay: they name products, not people.
//
// Its limits: a name or address given without such a cue ("send it to
// Jane at the lake house") is kept, and so are names of places and
// people in free text; what is kept is meant for staff review (mode
// review) before it is indexed.
func Scrub(text string) string {
	ms := mention.Find(text, nil)
	var b strings.Builder
	last := 0
	for _, m := range ms {
		if m.Kind == mention.SKU {
			continue
		}
		b.WriteString(text[last:m.Start])
		b.WriteByte(' ')
		last = m.End
	}
	b.WriteString(text[last:])
	s := b.String()
	for _, re := range personal {
		s = re.ReplaceAllString(s, " ")
	}
	s = strings.Join(strings.Fields(s), " ")
	return strings.Trim(s, " ,;:")
}

// personal are the name and address patterns Scrub removes.
var personal = []*regexp.Regexp{
	// A number before a street word.
	regexp.MustCompile(`(?i)\b\d+[a-z]?\s+([a-z]+\s+){0,3}(street|st|avenue|ave|road|rd|lane|ln|drive|dr|boulevard|blvd|way|court|ct|place|pl|terrace|crescent)\b\.?`),
	regexp.MustCompile(`\p{Han}{1,8}(路|街|道|巷|弄)\d+号(\d+室)?`),
	// An address cue, to the end of the clause; in Chinese, to the last
	// place word (省 市 区 路 号 …) in the next 20 characters.
	regexp.MustCompile(`(?i)\b(i live at|i live on|my address is|my address:|address:|ship(ped)? to|deliver(ed)? to|send it to)\s[^.,;!?\n]*`),
	regexp.MustCompile(`(地址是|地址[:：]|住在|寄到|送到)\s*[\p{Han}\d]{0,20}(省|市|区|县|镇|村|路|街|道|巷|弄|号|室)`),
	// A name cue and the capitalised words after it.
	regexp.MustCompile(`(?i:\b(my name is|my name's|this is|name:|name is|i am called|call me))\s+[A-Za-z][A-Za-z'.-]*(\s+[A-Z][A-Za-z'.-]*){0,2}`),
	regexp.MustCompile(`(我叫|我的名字是|我的名字叫|名字是|姓名[:：]?)\s*\p{Han}{1,3}`),
}
