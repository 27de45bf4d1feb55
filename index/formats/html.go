package formats

import (
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/shopdesk/shopdesk/index"
)

// skipped elements hold navigation, scripts and page furniture, not the
// page's content.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Nav: true, atom.Header: true,
	atom.Footer: true, atom.Aside: true, atom.Form: true, atom.Template: true, atom.Svg: true,
	atom.Iframe: true, atom.Button: true, atom.Select: true, atom.Head: true, atom.Object: true,
	atom.Canvas: true, atom.Dialog: true, atom.Menu: true,
}

// furniture matches class and id values of navigation and boilerplate.
var furniture = []string{"nav", "menu", "breadcrumb", "footer", "header", "sidebar", "cookie", "banner", "social", "share", "newsletter", "skip-link"}

// readHTML makes one document of a page's main text: the <main> or
// <article> element when there is one, else the body, without navigation,
// scripts, headers and footers.
func readHTML(src string, opts Options) (Result, error) {
	root, err := html.Parse(strings.NewReader(src))
	if err != nil {
		return Result{}, err
	}
	doc := index.Document{ID: cleanID(opts.Name), Source: opts.Name}
	if t := find(root, func(n *html.Node) bool { return n.DataAtom == atom.Title }); t != nil {
		doc.Title = collapse(textOf(t))
	}
	content := find(root, func(n *html.Node) bool {
		return n.DataAtom == atom.Main || attr(n, "role") == "main"
	})
	if content == nil {
		content = find(root, func(n *html.Node) bool { return n.DataAtom == atom.Article })
	}
	if content == nil {
		content = root
	}
	w := &htmlWalker{}
	w.walk(content)
	w.flush()
	doc.Blocks = w.blocks
	if h1 := firstHeading(doc.Blocks); doc.Title == "" || (h1 != "" && strings.Contains(doc.Title, h1)) {
		if h1 != "" {
			doc.Title = h1
		}
	}
	if doc.Title == "" {
		doc.Title = titleFromName(opts.Name)
	}
	doc.Text = joinText(doc.Blocks)
	return Result{Docs: []index.Document{doc}}, nil
}

// htmlToText returns the text of an HTML fragment (product descriptions
// in exports), blocks separated by new lines.
func htmlToText(src string) string {
	if !strings.Contains(src, "<") {
		return strings.TrimSpace(html.UnescapeString(src))
	}
	nodes, err := html.ParseFragment(strings.NewReader(src), &html.Node{Type: html.ElementNode, Data: "body", DataAtom: atom.Body})
	if err != nil {
		return ""
	}
	w := &htmlWalker{}
	for _, n := range nodes {
		w.walk(n)
	}
	w.flush()
	return joinText(w.blocks)
}

func firstHeading(blocks []index.Block) string {
	for _, b := range blocks {
		if b.Kind == index.Heading && b.Level == 1 {
			return b.Text
		}
	}
	return ""
}

type htmlWalker struct {
	blocks []index.Block
	text   strings.Builder
	kind   index.BlockKind
	level  int
	lists  int
}

// flush ends the block being collected.
func (w *htmlWalker) flush() {
	if t := collapse(w.text.String()); t != "" {
		w.blocks = append(w.blocks, index.Block{Kind: w.kind, Level: w.level, Text: t})
	}
	w.text.Reset()
	w.kind, w.level = index.Paragraph, 0
}

func (w *htmlWalker) walk(n *html.Node) {
	switch n.Type {
	case html.TextNode:
		w.text.WriteString(n.Data)
		return
	case html.ElementNode:
		if skipped[n.DataAtom] || isFurniture(n) || hasAttr(n, "hidden") || attr(n, "aria-hidden") == "true" {
			return
		}
	case html.CommentNode, html.DoctypeNode:
		return
	}
	switch n.DataAtom {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		w.flush()
		w.kind, w.level = index.Heading, int(n.Data[1]-'0')
		w.children(n)
		w.flush()
	case atom.Li:
		w.flush()
		w.kind, w.level = index.ListItem, max(w.lists, 1)
		w.children(n)
		w.flush()
	case atom.Ul, atom.Ol:
		w.flush()
		w.lists++
		w.children(n)
		w.lists--
	case atom.Tr:
		w.flush()
		var cells []string
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
				cells = append(cells, collapse(textOf(c)))
			}
		}
		w.blocks = append(w.blocks, index.Block{Kind: index.TableRow, Text: strings.Join(cells, " | ")})
	case atom.Pre:
		w.flush()
		w.blocks = append(w.blocks, index.Block{Kind: index.Code, Text: strings.TrimSpace(textOf(n))})
	case atom.Br:
		w.text.WriteByte(' ')
	case atom.P, atom.Div, atom.Section, atom.Blockquote, atom.Dt, atom.Dd, atom.Figcaption, atom.Details, atom.Summary, atom.Table, atom.Main, atom.Article, atom.Body:
		w.flush()
		w.children(n)
		w.flush()
	case atom.Img:
		if alt := attr(n, "alt"); alt != "" {
			w.text.WriteString(" " + alt + " ")
		}
	default:
		w.children(n)
	}
}

func (w *htmlWalker) children(n *html.Node) {
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		w.walk(c)
	}
}

func isFurniture(n *html.Node) bool {
	for _, key := range []string{"class", "id", "role"} {
		v := strings.ToLower(attr(n, key))
		if v == "" {
			continue
		}
		for _, f := range furniture {
			for _, tok := range strings.FieldsFunc(v, func(r rune) bool { return r == ' ' || r == '-' || r == '_' }) {
				if tok == f {
					return true
				}
			}
		}
		if v == "navigation" || v == "banner" || v == "contentinfo" {
			return true
		}
	}
	return false
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

func find(n *html.Node, match func(*html.Node) bool) *html.Node {
	if n.Type == html.ElementNode && match(n) {
		return n
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		if f := find(c, match); f != nil {
			return f
		}
	}
	return nil
}

func textOf(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
			b.WriteByte(' ')
		}
		if n.Type == html.ElementNode && skipped[n.DataAtom] {
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return b.String()
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
