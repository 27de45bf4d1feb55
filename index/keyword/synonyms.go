package keyword

import (
	"strings"
	"unicode"

	"github.com/shopdesk/shopdesk/lang"
)

// synonyms are groups of words shoppers use for the same thing, in
// English and Chinese. A query that uses one word of a group also looks
// for the others, at a lower weight: "send it back" finds the returns FAQ,
// "退掉" finds 退货. The groups are general online-retail vocabulary, not
// any one shop's.
var synonyms = [][]string{
	// English
	{"return", "send back", "take back", "bring back"},
	{"refund", "money back", "reimburse"},
	{"exchange", "swap", "replace", "replacement"},
	{"shipping", "delivery", "deliver", "ship", "dispatch", "courier"},
	{"track", "trace", "where is", "package", "parcel"},
	{"postage", "shipping fee", "shipping cost", "delivery charge"},
	{"cancel", "call off"},
	{"size", "sizing", "fit", "measurements"},
	{"damaged", "broken", "defective", "faulty", "torn", "cracked", "dented"},
	{"wrong item", "missing item", "incorrect item"},
	{"discount", "coupon", "promo", "voucher", "clearance"},
	{"price drop", "price adjustment", "price match", "cheaper"},
	{"pay", "payment", "charge", "billing", "installment"},
	{"account", "login", "log in", "sign in", "profile"},
	{"password", "reset", "forgot"},
	{"warranty", "guarantee", "repair"},
	{"invoice", "receipt"},
	{"contact", "phone", "email", "agent", "human", "representative"},
	{"gift card", "store credit"},
	{"price", "cost", "how much"},
	{"address", "deliver to"},
	{"out of stock", "restock", "back in stock", "sold out"},
	{"international", "overseas", "abroad", "customs", "duties"},
	// Chinese
	{"退货", "退回", "退掉", "寄回", "退换"},
	{"退款", "退钱", "返款", "到账"},
	{"换货", "调换", "更换"},
	{"发货", "寄出", "出库", "送货", "配送"},
	{"物流", "快递", "查件", "包裹", "单号"},
	{"运费", "邮费", "快递费", "配送费", "包邮"},
	{"取消", "撤销", "不要了", "拍错"},
	{"尺码", "码数", "尺寸", "大小", "合身"},
	{"破损", "损坏", "坏了", "压坏", "压扁", "开线", "瑕疵", "质量问题"},
	{"发错", "漏发", "少发", "错发"},
	{"优惠券", "优惠码", "折扣码", "打折", "特价", "清仓"},
	{"降价", "差价", "保价", "便宜了"},
	{"付款", "支付", "付钱", "分期"},
	{"账号", "账户", "帐号", "登录", "注册"},
	{"密码", "忘记密码", "重置"},
	{"保修", "质保", "维修", "售后"},
	{"发票", "开票", "收据", "报销"},
	{"客服", "人工", "联系", "电话"},
	{"礼品卡", "购物卡"},
	{"价格", "价钱", "多少钱"},
	{"地址", "收货地址", "改地址"},
	{"缺货", "补货", "到货", "有货", "库存"},
	{"海外", "国外", "港澳台", "关税", "清关"},
}

// expand returns the synonyms of the words in q that q does not already
// use, space-separated, or "".
func expand(q string) string {
	lq := strings.ToLower(q)
	// A Latin word or phrase matches at the start of a word, so
	// inflections count ("returned", "shipping") but words inside other
	// words do not ("ship" in "relationship").
	padded := " " + strings.Join(strings.FieldsFunc(lq, func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r)
	}), " ")
	has := func(w string) bool {
		for _, r := range w {
			if lang.IsHan(r) {
				return strings.Contains(lq, w)
			}
		}
		return strings.Contains(padded, " "+w)
	}
	var out []string
	for _, group := range synonyms {
		hit := false
		for _, w := range group {
			if has(w) {
				hit = true
				break
			}
		}
		if !hit {
			continue
		}
		for _, w := range group {
			if !has(w) {
				out = append(out, w)
			}
		}
	}
	return strings.Join(out, " ")
}

// fuzzyWords returns the words of q that are worth matching despite a
// typo: Latin words of five letters or more (shorter words have too many
// neighbours; Chinese characters have no spelling).
func fuzzyWords(q string) string {
	var out []string
	for _, w := range strings.FieldsFunc(q, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
		if len(w) < 5 {
			continue
		}
		latin := true
		for _, r := range w {
			if r > unicode.MaxASCII {
				latin = false
				break
			}
		}
		if latin {
			out = append(out, w)
		}
	}
	return strings.Join(out, " ")
}
