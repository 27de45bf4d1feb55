package formats

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	extast "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"

	"github.com/shopdesk/shopdesk/index"
)

var markdown = goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))

// readMarkdown makes one document of a Markdown file, its structure kept
// as blocks: headings, paragraphs, list items, table rows, code.
func readMarkdown(src string, opts Options) (Result, error) {
	source := []byte(src)
	root := markdown.Parser().Parse(text.NewReader(source))
	doc := index.Document{ID: cleanID(opts.Name), Source: opts.Name}
	listDepth := 0
	var walk func(n ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch node := c.(type) {
			case *ast.Heading:
				t := inlineText(node, source)
				if doc.Title == "" && node.Level == 1 {
					doc.Title = t
				}
				doc.Blocks = append(doc.Blocks, index.Block{Kind: index.Heading, Level: node.Level, Text: t})
			case *ast.List:
				listDepth++
				walk(node)
				listDepth--
			case *ast.ListItem:
				// A list item's own text is its first paragraph; nested
				// lists inside it become items of their own.
				var own []string
				for ic := node.FirstChild(); ic != nil; ic = ic.NextSibling() {
					if _, isList := ic.(*ast.List); isList {
						continue
					}
					own = append(own, inlineText(ic, source))
				}
				doc.Blocks = append(doc.Blocks, index.Block{Kind: index.ListItem, Level: listDepth, Text: strings.Join(own, " ")})
				for ic := node.FirstChild(); ic != nil; ic = ic.NextSibling() {
					if l, isList := ic.(*ast.List); isList {
						listDepth++
						walk(l)
						listDepth--
					}
				}
			case *ast.Paragraph, *ast.TextBlock:
				doc.Blocks = append(doc.Blocks, index.Block{Kind: index.Paragraph, Text: inlineText(node, source)})
			case *ast.FencedCodeBlock, *ast.CodeBlock:
				doc.Blocks = append(doc.Blocks, index.Block{Kind: index.Code, Text: linesText(node, source)})
			case *extast.Table:
				for row := node.FirstChild(); row != nil; row = row.NextSibling() {
					var cells []string
					for cell := row.FirstChild(); cell != nil; cell = cell.NextSibling() {
						cells = append(cells, inlineText(cell, source))
					}
					doc.Blocks = append(doc.Blocks, index.Block{Kind: index.TableRow, Text: strings.Join(cells, " | ")})
				}
			case *ast.HTMLBlock:
				if t := htmlToText(linesText(node, source)); t != "" {
					doc.Blocks = append(doc.Blocks, index.Block{Kind: index.Paragraph, Text: t})
				}
			case *ast.ThematicBreak:
			default:
				walk(node)
			}
		}
	}
	walk(root)
	if doc.Title == "" {
		doc.Title = titleFromName(opts.Name)
	}
	doc.Text = joinText(doc.Blocks)
	return Result{Docs: []index.Document{doc}}, nil
}

// inlineText returns the plain text of a node and its inline children.
func inlineText(n ast.Node, source []byte) string {
	var b bytes.Buffer
	var walk func(ast.Node)
	walk = func(n ast.Node) {
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			switch t := c.(type) {
			case *ast.Text:
				b.Write(t.Segment.Value(source))
				if t.SoftLineBreak() || t.HardLineBreak() {
					b.WriteByte(' ')
				}
			case *ast.String:
				b.Write(t.Value)
			case *ast.CodeSpan:
				walk(t)
			case *ast.RawHTML:
				// inline tags carry no text worth indexing
			case *ast.AutoLink:
				b.Write(t.URL(source))
			default:
				walk(c)
			}
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

func linesText(n ast.Node, source []byte) string {
	var b bytes.Buffer
	lines := n.Lines()
	for i := 0; i < lines.Len(); i++ {
		seg := lines.At(i)
		b.Write(seg.Value(source))
	}
	return strings.TrimRight(b.String(), "\n")
}

// joinText renders blocks as the document's plain text.
func joinText(blocks []index.Block) string {
	parts := make([]string, 0, len(blocks))
	for _, b := range blocks {
		if b.Text == "" {
			continue
		}
		if b.Kind == index.ListItem {
			parts = append(parts, strings.Repeat("  ", max(b.Level-1, 0))+"- "+b.Text)
		} else {
			parts = append(parts, b.Text)
		}
	}
	return strings.Join(parts, "\n")
}
