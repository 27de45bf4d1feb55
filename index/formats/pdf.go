package formats

import (
	"bytes"
	"fmt"
	"strings"

	"github.com/shopdesk/shopdesk/index"
	"github.com/shopdesk/shopdesk/index/formats/pdftext"
)

// readPDF makes one document of a PDF's text layer, its headings,
// paragraphs and list items rebuilt from the layout of the lines.
func readPDF(data []byte, opts Options) (Result, error) {
	pages, err := pdftext.ExtractBlocks(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		// PDFium's messages may carry a stack trace: keep the first line.
		msg, _, _ := strings.Cut(err.Error(), "\n")
		return Result{}, fmt.Errorf("%s: cannot read this PDF: %s", opts.Name, strings.TrimPrefix(msg, "pdf: "))
	}
	doc := index.Document{ID: cleanID(opts.Name), Source: opts.Name}
	for _, page := range pages {
		for _, b := range page {
			kind := index.Paragraph
			switch b.Kind {
			case pdftext.Heading:
				kind = index.Heading
			case pdftext.ListItem:
				kind = index.ListItem
			}
			doc.Blocks = append(doc.Blocks, index.Block{Kind: kind, Level: max(b.Level, 1), Text: b.Text})
		}
	}
	doc.Text = joinText(doc.Blocks)
	if strings.TrimSpace(doc.Text) == "" {
		return Result{}, fmt.Errorf("%s: the PDF has no text layer (a scan?); run it through OCR first", opts.Name)
	}
	for _, b := range doc.Blocks {
		if b.Kind == index.Heading {
			doc.Title = b.Text
			break
		}
	}
	if doc.Title == "" {
		doc.Title = titleFromName(opts.Name)
	}
	return Result{Docs: []index.Document{doc}}, nil
}
