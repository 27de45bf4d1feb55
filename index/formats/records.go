package formats

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/shopdesk/shopdesk/index"
)

// Field names tried, in order, when the mapping does not name one,
// including the headers Chinese spreadsheets use.
var (
	idFields    = []string{"id", "sku", "handle", "slug", "faq_id", "question_id", "article_id", "product_id", "编号", "货号", "商品编号"}
	titleFields = []string{"title", "name", "question", "subject", "heading", "q", "问题", "标题", "名称", "商品名称", "常见问题"}
	textFields  = []string{"text", "body", "answer", "content", "description", "body_html", "a", "答案", "回答", "内容", "正文", "描述", "商品描述"}
	urlFields   = []string{"url", "link", "permalink", "href", "链接", "网址"}
	langFields  = []string{"lang", "language", "locale", "语言"}
	kindFields  = []string{"kind", "doc_type"}
	tagFields   = []string{"tags", "labels", "keywords", "标签", "关键词"}
)

// privateField matches fields left out of automatic text: a knowledge
// base answers strangers, so contact details and secrets in a record
// (reviewers' e-mail addresses, say) must not become searchable.
var privateField = regexp.MustCompile(`(?i)(e-?mail|phone|mobile|password|passwd|secret|token|api[_-]?key|address|ssn|birth)`)

// noiseField matches fields left out of automatic text because they hold
// links to images and machine codes, not words anyone searches for.
var noiseField = regexp.MustCompile(`(?i)^(images?|thumbnails?|image_?urls?|img|photos?|qr_?code|barcode|ean|upc|gtin|src|srcset)$`)

func skippedField(key string) bool {
	return privateField.MatchString(key) || noiseField.MatchString(key)
}

// record is one JSON object or CSV row, with its keys in order.
type record struct {
	keys   []string
	values map[string]any
}

func (r record) get(name string) (any, bool) {
	if name == "" {
		return nil, false
	}
	if v, ok := r.values[name]; ok {
		return v, true
	}
	for _, k := range r.keys { // column headers vary in case
		if strings.EqualFold(k, name) {
			return r.values[k], true
		}
	}
	return nil, false
}

// pick returns the value of the named field, or of the first candidate
// present, and the key it used.
func (r record) pick(named string, candidates []string) (string, string) {
	if named != "" {
		v, _ := r.get(named)
		return scalarString(v), named
	}
	for _, c := range candidates {
		if v, ok := r.get(c); ok && scalarString(v) != "" {
			return scalarString(v), c
		}
	}
	return "", ""
}

// scalarString renders a JSON scalar; objects and arrays render empty.
func scalarString(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return strings.TrimSpace(x)
	case json.Number:
		return x.String()
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	default:
		return ""
	}
}

// toDocument maps a record to a document. where names it in errors;
// stem, the file's name, prefixes IDs made up for records without one.
func toDocument(r record, m Mapping, where, stem string) (index.Document, error) {
	d := index.Document{Whole: true, Source: where}
	var used []string
	take := func(named string, candidates []string) string {
		v, key := r.pick(named, candidates)
		if key != "" {
			used = append(used, strings.ToLower(key))
		}
		return v
	}
	d.ID = take(m.ID, idFields)
	d.Title = take(m.Title, titleFields)
	d.URL = take(m.URL, urlFields)
	d.Lang = take(m.Lang, langFields)
	d.Kind = take(m.Kind, kindFields)
	if v, ok := r.get(firstPresent(r, m.Tags, tagFields)); ok {
		d.Tags = stringList(v)
		used = append(used, strings.ToLower(firstPresent(r, m.Tags, tagFields)))
	}

	var lines []string
	if len(m.Text) > 0 {
		for _, f := range m.Text {
			v, ok := r.get(f)
			if !ok {
				return d, fmt.Errorf("no field %q", f)
			}
			if s := render(v); s != "" {
				if len(m.Text) == 1 {
					lines = append(lines, s)
				} else {
					lines = append(lines, label(f)+": "+s)
				}
			}
		}
	} else {
		if main := take("", textFields); main != "" {
			lines = append(lines, main)
		}
		for _, k := range r.keys {
			if slices.Contains(used, strings.ToLower(k)) || skippedField(k) {
				continue
			}
			if s := render(r.values[k]); s != "" {
				lines = append(lines, label(k)+": "+s)
			}
		}
	}
	d.Text = strings.Join(lines, "\n")
	if d.ID == "" && m.ID == "" && d.Title != "" {
		// FAQ sheets often have no id column; the question names the entry
		// as stably as anything, so re-importing the sheet replaces it.
		d.ID = stem + "#" + slug(d.Title)
	}
	if d.ID == "" {
		return d, fmt.Errorf("no id (looked for %s; name the field with a mapping)", strings.Join(candidatesOr(m.ID, idFields), ", "))
	}
	if d.Title == "" && d.Text == "" {
		return d, fmt.Errorf("record %s has neither title nor text", d.ID)
	}
	if d.Kind == "" {
		d.Kind = guessKind(r)
	}
	return d, d.Validate()
}

// slug keeps the letters and digits of s (Chinese included), lower-cased
// and joined by dashes, at most 80 bytes.
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			if b.Len()+utf8.RuneLen(r) > 80 {
				break
			}
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

func firstPresent(r record, named string, candidates []string) string {
	if named != "" {
		return named
	}
	for _, c := range candidates {
		if _, ok := r.get(c); ok {
			return c
		}
	}
	return ""
}

func candidatesOr(named string, candidates []string) []string {
	if named != "" {
		return []string{named}
	}
	return candidates
}

// guessKind recognizes FAQ entries and products by their fields.
func guessKind(r record) string {
	has := func(names ...string) bool {
		for _, n := range names {
			if _, ok := r.get(n); ok {
				return true
			}
		}
		return false
	}
	switch {
	case has("question", "answer", "q", "问题", "答案", "常见问题"):
		return index.KindFAQ
	case has("price", "sku", "price_usd", "variant price", "stock", "价格", "库存", "货号"):
		return index.KindProduct
	}
	return ""
}

// stringList reads tags given as an array or a comma-separated string.
func stringList(v any) []string {
	var out []string
	switch x := v.(type) {
	case []any:
		for _, e := range x {
			if s := scalarString(e); s != "" {
				out = append(out, s)
			}
		}
	default:
		for _, s := range strings.FieldsFunc(scalarString(v), func(r rune) bool { return r == ',' || r == ';' || r == '，' }) {
			if s = strings.TrimSpace(s); s != "" {
				out = append(out, s)
			}
		}
	}
	return out
}

// render turns any JSON value into readable text: scalars as they are,
// lists joined with commas, objects as "key: value; key: value", lists of
// objects one per line (at most 50).
func render(v any) string {
	switch x := v.(type) {
	case []any:
		var parts []string
		objects := false
		for i, e := range x {
			if i == 50 {
				parts = append(parts, fmt.Sprintf("… and %d more", len(x)-50))
				break
			}
			if _, ok := e.(map[string]any); ok {
				objects = true
			}
			if s := render(e); s != "" {
				parts = append(parts, s)
			}
		}
		if objects {
			return "\n  " + strings.Join(parts, "\n  ")
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		keys := make([]string, 0, len(x))
		for k := range x {
			if !skippedField(k) {
				keys = append(keys, k)
			}
		}
		sort.Strings(keys)
		var parts []string
		for _, k := range keys {
			if s := render(x[k]); s != "" {
				parts = append(parts, label(k)+": "+s)
			}
		}
		return strings.Join(parts, "; ")
	default:
		return scalarString(v)
	}
}

// label turns a field name into words: "returnPolicy" and
// "return_policy" become "return policy".
func label(key string) string {
	var b strings.Builder
	prevLower := false
	for _, r := range key {
		switch {
		case r == '_' || r == '-':
			b.WriteByte(' ')
			prevLower = false
		case unicode.IsUpper(r) && prevLower:
			b.WriteByte(' ')
			b.WriteRune(unicode.ToLower(r))
			prevLower = false
		default:
			b.WriteRune(unicode.ToLower(r))
			prevLower = unicode.IsLower(r)
		}
	}
	return strings.TrimSpace(b.String())
}

// decodeObject decodes one JSON object, keeping key order.
func decodeObject(data []byte) (record, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return record{}, err
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return record{}, fmt.Errorf("not a JSON object")
	}
	r := record{values: map[string]any{}}
	for dec.More() {
		kt, err := dec.Token()
		if err != nil {
			return record{}, err
		}
		key := kt.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return record{}, err
		}
		if _, dup := r.values[key]; !dup {
			r.keys = append(r.keys, key)
		}
		r.values[key] = v
	}
	if _, err := dec.Token(); err != nil {
		return record{}, err
	}
	if dec.More() {
		return record{}, fmt.Errorf("unexpected data after the object")
	}
	return r, nil
}

func readJSONL(text string, opts Options) (Result, error) {
	var res Result
	seen := map[string]string{}
	for i, line := range strings.Split(text, "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		where := fmt.Sprintf("%s:%d", opts.Name, i+1)
		r, err := decodeObject([]byte(line))
		if err != nil {
			res.Problems = append(res.Problems, Problem{where, "invalid JSON: " + jsonError(err)})
			continue
		}
		addRecord(&res, r, opts, where, seen)
	}
	return res, nil
}

func readJSON(text string, opts Options) (Result, error) {
	dec := json.NewDecoder(strings.NewReader(text))
	dec.UseNumber()
	var top any
	if err := dec.Decode(&top); err != nil {
		return Result{}, fmt.Errorf("%s: invalid JSON: %s", opts.Name, jsonError(err))
	}
	if dec.More() {
		return Result{}, fmt.Errorf("%s: more than one JSON value; is it JSON Lines? name it .jsonl", opts.Name)
	}
	order := keyOrder{text: text, pos: map[string]int{}}
	items, path, err := findRecords(top, opts.Mapping.Records, order)
	if err != nil {
		return Result{}, fmt.Errorf("%s: %w", opts.Name, err)
	}
	var res Result
	seen := map[string]string{}
	for i, item := range items {
		where := fmt.Sprintf("%s: %s[%d]", opts.Name, path, i)
		if item.key != "" {
			where = fmt.Sprintf("%s: %q", opts.Name, item.key)
		}
		raw, _ := json.Marshal(item.value)
		r, err := decodeObject(raw)
		if err != nil {
			res.Problems = append(res.Problems, Problem{where, "a record must be a JSON object"})
			continue
		}
		// Key order is lost in the generic decode above; restore the
		// file's order for readable text.
		r.keys = order.sort(r.keys)
		addRecord(&res, r, opts, where, seen)
	}
	return res, nil
}

// keyOrder sorts keys by where they first appear in the file, so records
// read as the merchant wrote them. Positions are found once per key.
type keyOrder struct {
	text string
	pos  map[string]int
}

func (o keyOrder) sort(keys []string) []string {
	at := func(k string) int {
		if p, ok := o.pos[k]; ok {
			return p
		}
		q, _ := json.Marshal(k)
		p := strings.Index(o.text, string(q))
		if p < 0 {
			p = len(o.text)
		}
		o.pos[k] = p
		return p
	}
	out := slices.Clone(keys)
	sort.SliceStable(out, func(i, j int) bool { return at(out[i]) < at(out[j]) })
	return out
}

// jsonItem is one record found in a JSON document; key is set when the
// record was the value of a key in an object of records.
type jsonItem struct {
	key   string
	value any
}

// findRecords locates the records: at the dotted path given; or the
// top-level array; or the one array of objects in a top-level object; or,
// for an object keyed by name (a common way to write FAQs and manuals),
// each value as a record whose id and title are its key. A single object
// is one record.
func findRecords(top any, path string, order keyOrder) ([]jsonItem, string, error) {
	list := func(arr []any) []jsonItem {
		out := make([]jsonItem, len(arr))
		for i, v := range arr {
			out[i] = jsonItem{value: v}
		}
		return out
	}
	if path != "" {
		cur := top
		for _, part := range strings.Split(path, ".") {
			obj, ok := cur.(map[string]any)
			if !ok {
				return nil, "", fmt.Errorf("records path %q: %q is not inside an object", path, part)
			}
			if cur, ok = obj[part]; !ok {
				return nil, "", fmt.Errorf("records path %q: no key %q", path, part)
			}
		}
		arr, ok := cur.([]any)
		if !ok {
			return nil, "", fmt.Errorf("records path %q does not lead to an array", path)
		}
		return list(arr), path, nil
	}
	switch x := top.(type) {
	case []any:
		return list(x), "record", nil
	case map[string]any:
		var arrays []string
		for k, v := range x {
			if arr, ok := v.([]any); ok && len(arr) > 0 {
				if _, isObj := arr[0].(map[string]any); isObj {
					arrays = append(arrays, k)
				}
			}
		}
		switch {
		case len(arrays) == 1:
			return list(x[arrays[0]].([]any)), arrays[0], nil
		case len(arrays) > 1:
			sort.Strings(arrays)
			return nil, "", fmt.Errorf("several arrays of records (%s); choose one with a records mapping", strings.Join(arrays, ", "))
		case len(x) > 1 && keyedRecords(x):
			keys := make([]string, 0, len(x))
			for k := range x {
				keys = append(keys, k)
			}
			var out []jsonItem
			for _, k := range order.sort(keys) {
				rec := map[string]any{"id": k, "title": k}
				if obj, ok := x[k].(map[string]any); ok {
					for fk, fv := range obj {
						rec[fk] = fv
					}
					if _, has := obj["id"]; !has {
						rec["id"] = k
					}
				} else {
					rec["text"] = x[k]
				}
				out = append(out, jsonItem{key: k, value: rec})
			}
			return out, "", nil
		default:
			return []jsonItem{{value: x}}, "record", nil
		}
	}
	return nil, "", fmt.Errorf("the JSON holds neither an array of records nor an object")
}

// keyedRecords reports whether every value of obj is a record (an object)
// or every value is text, as in {"returns": "...", "shipping": "..."}.
func keyedRecords(obj map[string]any) bool {
	objects, texts := 0, 0
	for _, v := range obj {
		switch v.(type) {
		case map[string]any:
			objects++
		case string:
			texts++
		}
	}
	return objects == len(obj) || texts == len(obj)
}

// addRecord maps r and adds it, or the problem with it. A repeated ID
// within one file is a problem: the second record would silently replace
// the first.
func addRecord(res *Result, r record, opts Options, where string, seen map[string]string) {
	d, err := toDocument(r, opts.Mapping, where, cleanID(opts.Name))
	if err != nil {
		res.Problems = append(res.Problems, Problem{where, err.Error()})
		return
	}
	if first, dup := seen[d.ID]; dup {
		res.Problems = append(res.Problems, Problem{where, fmt.Sprintf("id %q repeats the record at %s", d.ID, first)})
		return
	}
	seen[d.ID] = where
	res.Docs = append(res.Docs, d)
}

func jsonError(err error) string {
	var syn *json.SyntaxError
	if e, ok := err.(*json.SyntaxError); ok {
		syn = e
		return fmt.Sprintf("%s (at byte %d)", syn.Error(), syn.Offset)
	}
	return err.Error()
}
