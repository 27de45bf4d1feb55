package widget

import (
	"bytes"
	"compress/gzip"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io"
)

//go:embed widget.js demo.html demo.css
var files embed.FS

// Asset is a file served as it is under version control, with its gzip
// encoding and an ETag of its content.
type Asset struct {
	Body        []byte
	Gzip        []byte
	ETag        string
	ContentType string
}

func load(name, contentType string) Asset {
	body, err := files.ReadFile(name)
	if err != nil {
		panic(err) // embedded: cannot happen
	}
	return NewAsset(body, contentType)
}

// NewAsset makes an Asset of body, compressing it once.
func NewAsset(body []byte, contentType string) Asset {
	var z bytes.Buffer
	w, _ := gzip.NewWriterLevel(&z, gzip.BestCompression)
	w.Write(body)
	w.Close()
	sum := sha256.Sum256(body)
	return Asset{Body: body, Gzip: z.Bytes(), ETag: `"` + hex.EncodeToString(sum[:8]) + `"`, ContentType: contentType}
}

// The assets, read once.
var (
	script  = load("widget.js", "text/javascript; charset=utf-8")
	demoCSS = load("demo.css", "text/css; charset=utf-8")
	demo    = template.Must(template.ParseFS(files, "demo.html"))
)

// Script is widget.js.
func Script() Asset { return script }

// DemoCSS is the demo page's stylesheet.
func DemoCSS() Asset { return demoCSS }

// MaxScriptGzip is the widget's size budget, gzipped.
const MaxScriptGzip = 30 << 10

// Demo is what the demo page shows.
type Demo struct {
	// Lang is "en" or "zh".
	Lang string
	// Key is the publishable key the page embeds; without one the page
	// says how to configure it.
	Key string
	// Origin is shopdesk's own origin, as the browser reached it.
	Origin string
}

// demoStrings are the demo page's texts in both languages.
var demoStrings = map[string]map[string]string{
	"en": {
		"Title": "The shopdesk chat widget", "Shop": "Harbor Lane Outfitters (demo)", "Language": "Language",
		"Intro":    "This page is a shop page like any other: the chat button in the corner is the widget, added by the one tag below.",
		"Try":      "Open it and ask about returns, shipping or sizes, ask for a person, or start a return (you will be asked for your order number and email).",
		"TagTitle": "The tag", "TagIntro": "Paste it into any page of the shop, once. Nothing to build or host.",
		"AttrsTitle": "Attributes",
		"AttrKey":    "the tenant's publishable key (pk_…); it only works on the widget's endpoints and only from the origins listed for it.",
		"AttrLang":   "en or zh; by default the page's lang attribute.",
		"AttrToken":  "optional: a signed-in shopper, as a customer token your server signs with the tenant's customer_token_secret (one per page view).",
		"AttrLook":   "optional: left for the left corner; a #rrggbb brand color (text on it is chosen for contrast).",
		"CSPTitle":   "Content Security Policy", "CSP": "If your pages send a Content-Security-Policy, allow shopdesk's origin for scripts and connections; the widget needs nothing else (no inline scripts or styles, no eval):",
		"NoKey": "Tenant default has no publishable key, so the widget is not shown. Give it one, with this page's origin:",
	},
	"zh": {
		"Title": "shopdesk 在线客服组件", "Shop": "港湾小径户外（演示）", "Language": "语言",
		"Intro":    "这是一个普通的商店页面：右下角的客服按钮就是组件，只需下面这一行代码。",
		"Try":      "打开它，问问退货、运费或尺码，或者转人工客服，也可以申请退货（需要提供订单号和邮箱）。",
		"TagTitle": "代码", "TagIntro": "把它粘贴到商店的任意页面中，一次即可，无需构建或托管任何文件。",
		"AttrsTitle": "属性",
		"AttrKey":    "商户的公开密钥（pk_…），只能用于客服组件的接口，且只能在为它登记的来源（origin）上使用。",
		"AttrLang":   "en 或 zh；默认取页面的 lang 属性。",
		"AttrToken":  "可选：已登录的顾客，由您的服务器用 customer_token_secret 签发的顾客令牌（每次页面访问签发一个）。",
		"AttrLook":   "可选：left 表示放在左下角；#rrggbb 品牌色（文字颜色会自动保证对比度）。",
		"CSPTitle":   "内容安全策略（CSP）", "CSP": "如果您的页面设置了 Content-Security-Policy，请允许 shopdesk 的来源加载脚本和建立连接；组件不需要其他权限（没有内联脚本或样式，不使用 eval）：",
		"NoKey": "租户 default 还没有公开密钥，所以不显示客服组件。请为它配置一个，并登记本页面的来源：",
	},
}

// WriteDemo renders the demo page.
func WriteDemo(w io.Writer, d Demo) error {
	s, ok := demoStrings[d.Lang]
	if !ok {
		return fmt.Errorf("demo page: no language %q", d.Lang)
	}
	src := d.Origin + "/widget.js"
	return demo.Execute(w, map[string]any{
		"Lang": d.Lang, "Key": d.Key, "Origin": d.Origin, "Script": "/widget.js", "S": s,
		"Tag": fmt.Sprintf(`<script src="%s" data-key="%s" async></script>`, src, d.Key),
	})
}
