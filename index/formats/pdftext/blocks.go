package pdftext

import (
	"fmt"
	"io"
	"math"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/responses"
)

type Kind int

const (
	Paragraph Kind = iota
	Heading
	ListItem
)

// Block is a paragraph, heading or list item reconstructed from line geometry.
type Block struct {
	Kind  Kind
	Level int // headings: 1 = largest font on the page
	Text  string
	Size  float64 // font size in points
}

// ExtractBlocks is like Extract but returns, per page, paragraphs/headings/list
// items built from PDFium's per-line rectangles and font sizes.
func ExtractBlocks(r io.ReaderAt, size int64) ([][]Block, error) {
	var all [][]*responses.GetPageTextStructuredRect
	err := withDocument(r, size, func(inst pdfiumInstance, doc docRef, n int) error {
		for i := 0; i < n; i++ {
			st, err := inst.GetPageTextStructured(&requests.GetPageTextStructured{
				Page: requests.Page{ByIndex: &requests.PageByIndex{Document: doc, Index: i}},
				Mode: requests.GetPageTextStructuredModeRects, CollectFontInformation: true})
			if err != nil {
				return fmt.Errorf("pdf: page %d: %w", i+1, err)
			}
			all = append(all, st.Rects)
		}
		return nil
	})
	return buildBlocks(all), err
}

type frag struct {
	left, right float64
	text        string
}

type line struct {
	top, bottom, left, size float64
	bold                    bool
	frags                   []frag
	text                    string
}

var (
	bulletRe    = regexp.MustCompile(`^\s*([•·▪◦‣●○■□➢►✓\-–—*]|\(?\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\)|[①-⑳])\s*`)
	notBulletRe = regexp.MustCompile(`^\s*\d{1,3}[.)]\s*\d`) // "1.5 kg", "3) 4"
	boldRe      = regexp.MustCompile(`(?i)bold|black|heavy|semibold|demi`)
)

func overlap(aTop, aBot, bTop, bBot float64) float64 {
	o := math.Min(aTop, bTop) - math.Max(aBot, bBot)
	h := math.Min(aTop-aBot, bTop-bBot)
	if h <= 0 {
		return 0
	}
	return o / h
}

// pageLines groups PDFium's text rects (runs of same-font text on one line)
// into visual lines, top to bottom.
func pageLines(rects []*responses.GetPageTextStructuredRect) []*line {
	var lines []*line
	for _, r := range rects {
		t := normalize(r.Text)
		if strings.TrimSpace(t) == "" {
			continue
		}
		sz, bold := 0.0, false
		if fi := r.FontInformation; fi != nil {
			sz = fi.Size
			bold = boldRe.MatchString(fi.Name) || fi.Weight >= 600
		}
		p := r.PointPosition
		if sz <= 0 {
			sz = p.Top - p.Bottom
		}
		var L *line
		for i := len(lines) - 1; i >= 0 && i >= len(lines)-3; i-- { // rects come in content order
			if overlap(lines[i].top, lines[i].bottom, p.Top, p.Bottom) > 0.5 {
				L = lines[i]
				break
			}
		}
		if L == nil {
			L = &line{top: p.Top, bottom: p.Bottom, left: p.Left, bold: true}
			lines = append(lines, L)
		}
		L.frags = append(L.frags, frag{p.Left, p.Right, t})
		L.top, L.bottom, L.left = math.Max(L.top, p.Top), math.Min(L.bottom, p.Bottom), math.Min(L.left, p.Left)
		if !(isBullet(t) && utf8.RuneCountInString(strings.TrimSpace(t)) == 1) { // a lone bullet glyph says nothing about the line's font
			L.size = math.Max(L.size, sz)
			L.bold = L.bold && bold
		}
	}
	for _, l := range lines {
		sort.SliceStable(l.frags, func(i, j int) bool { return l.frags[i].left < l.frags[j].left })
		var sb strings.Builder
		for i, f := range l.frags {
			pr, _ := utf8.DecodeLastRuneInString(sb.String())
			nr, _ := utf8.DecodeRuneInString(f.text)
			if i > 0 && f.left-l.frags[i-1].right > 0.25*l.size && pr != ' ' && nr != ' ' && !isCJK(pr) && !isCJK(nr) {
				sb.WriteByte(' ')
			}
			sb.WriteString(f.text)
		}
		l.text = strings.Join(strings.Fields(sb.String()), " ")
		if l.size == 0 {
			l.size = 10
		}
	}
	sort.SliceStable(lines, func(i, j int) bool { return lines[i].top > lines[j].top })
	return lines
}

func buildBlocks(pages [][]*responses.GetPageTextStructuredRect) [][]Block {
	pl := make([][]*line, len(pages))
	// body size = the font size carrying most characters in the document
	weight := map[float64]int{}
	for i, rects := range pages {
		pl[i] = pageLines(rects)
		for _, l := range pl[i] {
			weight[math.Round(l.size)] += utf8.RuneCountInString(l.text)
		}
	}
	body, best := 10.0, -1
	for s, w := range weight {
		if w > best || (w == best && s < body) {
			body, best = s, w
		}
	}
	var hs []float64 // heading sizes, largest first -> level 1, 2, ...
	for s := range weight {
		if s >= body*1.15 {
			hs = append(hs, s)
		}
	}
	sort.Sort(sort.Reverse(sort.Float64Slice(hs)))
	level := func(s float64) int {
		for i, h := range hs {
			if math.Round(s) >= h {
				return i + 1
			}
		}
		return len(hs) + 1 // bold body-size heading
	}
	out := make([][]Block, len(pages))
	for pi, lines := range pl {
		var bs []Block
		var prev *line
		for _, l := range lines {
			n := utf8.RuneCountInString(l.text)
			gap := 0.0
			if prev != nil {
				gap = prev.bottom - l.top
			}
			isHead := math.Round(l.size) >= body*1.15 ||
				(l.bold && n <= 80 && !strings.ContainsAny(lastRune(l.text), ".。;；,，:：!！?？"))
			last := len(bs) - 1
			switch {
			case isHead:
				if last >= 0 && bs[last].Kind == Heading && math.Round(prev.size) == math.Round(l.size) && gap < 0.6*l.size {
					bs[last].Text = joinLine(bs[last].Text, l.text) // heading wrapped over two lines
				} else {
					bs = append(bs, Block{Kind: Heading, Level: level(l.size), Text: l.text, Size: l.size})
				}
			case isBullet(l.text):
				bs = append(bs, Block{Kind: ListItem, Text: bulletRe.ReplaceAllString(l.text, ""), Size: l.size})
			case last >= 0 && bs[last].Kind != Heading && math.Abs(prev.size-l.size) < 0.5 && gap < 0.6*l.size &&
				(bs[last].Kind != ListItem || l.left > prev.left+2): // list continuation lines are indented
				bs[last].Text = joinLine(bs[last].Text, l.text)
			default:
				bs = append(bs, Block{Kind: Paragraph, Text: l.text, Size: l.size})
			}
			prev = l
		}
		out[pi] = bs
	}
	return out
}

func isBullet(s string) bool {
	return bulletRe.MatchString(s) && !notBulletRe.MatchString(s)
}

func lastRune(s string) string {
	r, _ := utf8.DecodeLastRuneInString(s)
	return string(r)
}

func isCJK(r rune) bool {
	return unicode.Is(unicode.Han, r) || unicode.In(r, unicode.Hiragana, unicode.Katakana, unicode.Hangul) ||
		(r >= 0x3000 && r <= 0x303F) || (r >= 0xFF00 && r <= 0xFFEF)
}

// joinLine joins two wrapped lines of one paragraph: no space between CJK, a
// space otherwise.
func joinLine(a, b string) string {
	a = strings.TrimRight(a, " ")
	b = strings.TrimLeft(b, " ")
	ra, _ := utf8.DecodeLastRuneInString(a)
	rb, _ := utf8.DecodeRuneInString(b)
	if a == "" || b == "" || isCJK(ra) || isCJK(rb) {
		return a + b
	}
	return a + " " + b
}
