package keyword

import (
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/custom"
	"github.com/blevesearch/bleve/v2/analysis/analyzer/keyword"
	"github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/analysis/lang/en"
	"github.com/blevesearch/bleve/v2/analysis/token/lowercase"
	"github.com/blevesearch/bleve/v2/analysis/token/stop"
	"github.com/blevesearch/bleve/v2/analysis/tokenizer/unicode"
	"github.com/blevesearch/bleve/v2/analysis/tokenmap"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/registry"
	bleveindex "github.com/blevesearch/bleve_index_api"
)

// The analyzer shopdesk defines, for text and queries alike. Chinese and
// English share one chain: words are lower-cased and stop words (English,
// and Chinese function characters such as 的 了 吗) dropped; runs of
// Chinese characters become single characters plus overlapping bigrams
// ("退货政策" → 退 退货 货 货政 政 政策 策), so no word segmenter (with
// its dictionary and start-up cost) is needed: bigrams reward matching
// words, single characters keep paraphrases findable. English words are
// not stemmed: on FAQ retrieval stemming cost precision at rank 1 in our
// measurements (see the README), and synonyms cover inflections.
const (
	analyzerName = "shopdesk_mixed"

	filterBigramUnigram = "shopdesk_cjk_bigram_unigram"
	filterChineseStop   = "shopdesk_zh_stop"
	tokensChineseStop   = "shopdesk_zh_stop_tokens"
	// charFilterFullwidth folds full-width ASCII ("ＳＫＵ－１２３４") to
	// ASCII before tokenizing: the tokenizer would drop full-width digits.
	charFilterFullwidth = "shopdesk_fullwidth_fold"
)

// chineseStop are function characters and words that carry no topic.
var chineseStop = []any{"的", "了", "吗", "呢", "吧", "啊", "呀", "嘛", "我", "你", "您", "他", "她", "它",
	"是", "在", "和", "就", "都", "也", "还", "请问", "一下", "个", "这", "那", "么"}

type fullwidthFold struct{}

func (fullwidthFold) Filter(in []byte) []byte {
	out := make([]byte, 0, len(in))
	for i := 0; i < len(in); {
		r, n := utf8.DecodeRune(in[i:])
		switch {
		case r >= 0xFF01 && r <= 0xFF5E:
			out = append(out, byte(r-0xFEE0))
		case r == 0x3000: // ideographic space
			out = append(out, ' ')
		default:
			out = append(out, in[i:i+n]...)
		}
		i += n
	}
	return out
}

var registerOnce sync.Once

// register adds the char filter to Bleve's registry. The saved mapping
// names it, so it must be registered before any index is opened.
func register() {
	registerOnce.Do(func() {
		registry.RegisterCharFilter(charFilterFullwidth, func(map[string]any, *registry.Cache) (analysis.CharFilter, error) {
			return fullwidthFold{}, nil
		})
	})
}

// newMapping is lean: a static mapping with no _all field, nothing stored,
// no term vectors or doc values (hits are identified by their document
// IDs, the chunk keys), and BM25 scoring. "body" holds the title and the
// text; "title" is searched again so the title weighs more.
func newMapping() (*mapping.IndexMappingImpl, error) {
	im := bleve.NewIndexMapping()
	if err := im.AddCustomTokenFilter(filterBigramUnigram, map[string]any{"type": cjk.BigramName, "output_unigram": true}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenMap(tokensChineseStop, map[string]any{"type": tokenmap.Name, "tokens": chineseStop}); err != nil {
		return nil, err
	}
	if err := im.AddCustomTokenFilter(filterChineseStop, map[string]any{"type": stop.Name, "stop_token_map": tokensChineseStop}); err != nil {
		return nil, err
	}
	if err := im.AddCustomAnalyzer(analyzerName, map[string]any{
		"type":         custom.Name,
		"char_filters": []any{charFilterFullwidth},
		"tokenizer":    unicode.Name,
		// The bigram filter touches only ideographic tokens, so English
		// words pass through it unchanged.
		"token_filters": []any{cjk.WidthName, lowercase.Name, en.PossessiveName, en.StopName, filterBigramUnigram, filterChineseStop},
	}); err != nil {
		return nil, err
	}
	im.ScoringModel = bleveindex.BM25Scoring
	im.DefaultAnalyzer = analyzerName
	im.StoreDynamic, im.IndexDynamic, im.DocValuesDynamic = false, false, false

	keywordField := func() *mapping.FieldMapping {
		f := bleve.NewKeywordFieldMapping()
		f.Analyzer = keyword.Name
		f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
		return f
	}
	dm := bleve.NewDocumentStaticMapping()
	for _, name := range []string{"doc_id", "kind", "lang", "tags"} {
		dm.AddFieldMappingsAt(name, keywordField())
	}
	dm.AddFieldMappingsAt("title", textField())
	dm.AddFieldMappingsAt("body", textField())
	dm.AddFieldMappingsAt("phrasings", textField())
	dm.AddSubDocumentMapping("_all", bleve.NewDocumentDisabledMapping())
	im.DefaultMapping = dm
	return im, im.Validate()
}

// textField is a field analysed for search, nothing stored.
func textField() *mapping.FieldMapping {
	f := bleve.NewTextFieldMapping()
	f.Analyzer = analyzerName
	f.Store, f.IncludeTermVectors, f.IncludeInAll, f.DocValues = false, false, false, false
	return f
}

// addPhrasingsField gives an index created before the phrasings field
// existed that field, in the mapping it holds in memory: the mapping
// saved with the index cannot change, so this is done at each open.
// Chunks indexed from then on carry their phrasings.
func addPhrasingsField(idx bleve.Index) {
	im, ok := idx.Mapping().(*mapping.IndexMappingImpl)
	if !ok || im.DefaultMapping == nil {
		return
	}
	if _, has := im.DefaultMapping.Properties["phrasings"]; !has {
		im.DefaultMapping.AddFieldMappingsAt("phrasings", textField())
	}
}
