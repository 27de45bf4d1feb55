package console

// Languages are the console's languages, the first the default.
var Languages = []string{"en", "zh"}

// Text is the console's text in lang for key; a key missing from the
// table is returned as it is (a test keeps the table complete).
func Text(lang, key string) string {
	if s, ok := texts[lang][key]; ok {
		return s
	}
	if s, ok := texts["en"][key]; ok {
		return s
	}
	return key
}

var texts = map[string]map[string]string{
	"en": {
		"console": "Console", "skip": "Skip to content", "nav": "Console sections", "signed_in_as": "Signed in as",
		"inbox": "Inbox", "knowledge": "Knowledge", "learning": "Learning", "insights": "Insights", "models": "Models", "users": "Users",
		"users_intro": "The shop's console accounts. Add, change and remove them with shopdesk users (the server must be stopped):",
		"role":        "Role",
		"logout":      "Sign out", "language": "Language",
		"admin": "admin", "agent": "agent",
		// Login.
		"login": "Sign in", "login_intro": "Staff of the shop sign in here. Accounts are made with shopdesk users add.",
		"tenant": "Shop (tenant)", "name": "Name", "password": "Password",
		"bad_login":  "Wrong name or password, or too many attempts. Wait a few minutes and try again.",
		"signed_out": "You are not signed in, or your session has ended. Sign in again.",
		// Errors.
		"error": "Something went wrong", "bad_csrf": "This form has expired or did not come from the console (CSRF check failed). Reload the page and try again.",
		"cross_site": "Requests from other sites are refused.", "admin_only": "Only admins can open this page.",
		"not_found": "Not found: it does not exist, or it belongs to another shop.", "too_large": "The request is too large.",
		"no_staff": "The console is not available on this server.", "bad_input": "The request is not valid:",
		"internal": "Internal error. The request ID is", "unavailable": "This part of shopdesk is not available on this server.",
		"back_inbox": "Back to the inbox",
		// Inbox.
		"view": "View", "search": "Search", "search_text": "Text, conversation or customer ID", "from": "From", "to": "To",
		"filter": "Filter", "view_all": "All", "view_waiting": "Waiting for a person", "view_escalated": "Escalated",
		"view_held": "Held by a person", "view_unanswered": "Unanswered", "view_negative": "Negative",
		"view_rated_down": "Rated down", "view_resolved": "Resolved", "updated": "Updated", "customer": "Customer",
		"status": "Status", "last_message": "Last message", "messages": "Messages", "no_conversations": "No conversations match.",
		"waiting": "waiting", "escalated": "escalated", "held_by": "held by", "resolved": "resolved", "open": "open",
		"live_note": "This list updates by itself.", "conversations": "Conversations",
		// Transcript.
		"transcript": "Conversation", "transcript_messages": "Messages", "conversation_id": "Conversation", "verified_customer": "Verified customer",
		"not_verified": "not signed in", "details": "Records cited", "order": "Order", "email": "Email", "product": "Product",
		"reason": "Escalation reason", "csat": "CSAT", "created": "Started", "state": "State",
		"role_user": "Shopper", "role_assistant": "Assistant", "role_agent": "Person",
		"intent": "Intent", "outcome": "Outcome", "mood": "Mood", "model": "Model", "latency": "First text after", "rating": "Rating",
		"sources": "Sources", "claim": "Take over", "claim_force": "Take over from", "reply": "Reply to the shopper", "send": "Send",
		"handback": "Hand back to the assistant", "resolve": "Mark resolved", "assistant_silent": "You hold this conversation: the assistant stays silent until you hand it back.",
		"held_other": "Another person holds this conversation:", "resolve_force": "Mark resolved, taking over from", "live_events": "New messages appear here as they arrive.",
		"state_changed": "The conversation changed:", "reload": "Reload",
		"ev_claimed": "taken over by", "ev_handed_back": "handed back by", "ev_resolved": "resolved by", "ev_escalated": "escalated",
		"ev_rated":        "rated by the shopper",
		"short_requested": "asked", "short_negative_sentiment": "unhappy", "short_unanswered": "unanswered", "short_high_risk": "high risk",
		"reason_requested": "the shopper asked for a person", "reason_negative_sentiment": "the shopper stayed unhappy",
		"reason_unanswered": "the assistant did not know, repeatedly", "reason_high_risk": "legal, safety or chargeback",
		// Knowledge.
		"documents": "Documents", "kind": "Kind", "all_kinds": "All kinds", "title": "Title", "lang": "Language", "chunks": "Chunks",
		"id": "ID", "delete": "Delete", "upload": "Upload documents", "files": "Files", "upload_button": "Upload",
		"upload_hint": "Markdown, text, HTML, PDF, CSV or JSON; FAQ and product files are kept whole.",
		"progress":    "Upload progress", "uploaded": "Uploaded", "upload_problems": "Parts that could not be read",
		"search_preview": "Search preview", "query": "Question", "rank": "Rank per retriever", "score": "Score",
		"no_documents": "No documents.", "no_hits": "No passages found.", "more": "More", "admin_needed_upload": "Only admins can upload or delete documents.",
		"mode": "Mode", "deleted": "Deleted", "added": "added", "updated_docs": "updated", "unchanged": "unchanged",
		// Learning.
		"curated": "Curated answers", "question": "Question", "answer": "Answer", "phrasings": "Phrasing candidates",
		"faq_candidates": "FAQ candidates from people's replies", "approve": "Approve", "reject": "Reject", "save": "Save",
		"gaps": "Content gaps", "examples": "Examples", "count": "Asked", "document": "Document", "phrasing": "Phrasing",
		"none_pending": "Nothing waiting for review.", "edit_then_approve": "Edit, then approve",
		"no_gaps": "No content gaps found.", "no_curated": "No curated answers yet (shopdesk answers import, or POST /api/answers).", "nearest": "Nearest document", "decided": "Done:",
		// Insights.
		"per_day": "Conversations per day", "automated": "Automated resolution rate", "handoffs": "Hand-offs by reason", "handoff_rate": "Hand-off rate",
		"dont_know": "\"Don't know\" rate", "day": "Day", "rate": "Rate", "total": "Total", "period": "Period",
		"no_data": "No data for this period.", "chart": "Chart", "table": "Table",
		// Models.
		"catalog": "Catalog", "installed": "Installed on each Ollama host", "doctor": "Doctor's findings", "fix": "Fix",
		"level": "Level", "what": "What", "tag": "Ollama tag", "description": "Description", "host": "Host", "size": "Size",
		"no_findings": "No findings.", "ok": "ok", "warn": "warn", "fail": "fail",
	},
	"zh": {
		"console": "控制台", "skip": "跳到正文", "nav": "控制台栏目", "signed_in_as": "当前用户",
		"inbox": "收件箱", "knowledge": "知识库", "learning": "学习", "insights": "数据洞察", "models": "模型", "users": "用户",
		"users_intro": "本商店的控制台账号。用 shopdesk users 添加、修改和删除（需要先停止服务器）：",
		"role":        "角色",
		"logout":      "退出登录", "language": "语言",
		"admin": "管理员", "agent": "客服",
		"login": "登录", "login_intro": "商店员工在此登录。账号用 shopdesk users add 创建。",
		"tenant": "商店（租户）", "name": "用户名", "password": "密码",
		"bad_login":  "用户名或密码错误，或尝试次数过多。请等几分钟再试。",
		"signed_out": "您尚未登录，或会话已结束。请重新登录。",
		"error":      "出错了", "bad_csrf": "此表单已过期或并非来自控制台（CSRF 校验失败）。请刷新页面后重试。",
		"cross_site": "拒绝来自其他网站的请求。", "admin_only": "只有管理员可以打开此页面。",
		"not_found": "未找到：它不存在，或属于另一家商店。", "too_large": "请求过大。",
		"no_staff": "此服务器未启用控制台。", "bad_input": "请求无效：",
		"internal": "内部错误。请求 ID：", "unavailable": "此服务器未启用 shopdesk 的这一部分。",
		"back_inbox": "返回收件箱",
		"view":       "视图", "search": "搜索", "search_text": "文字、会话或顾客 ID", "from": "起始日期", "to": "截止日期",
		"filter": "筛选", "view_all": "全部", "view_waiting": "等待人工", "view_escalated": "已转人工",
		"view_held": "人工处理中", "view_unanswered": "未能回答", "view_negative": "负面情绪",
		"view_rated_down": "被点踩", "view_resolved": "已解决", "updated": "更新时间", "customer": "顾客",
		"status": "状态", "last_message": "最后一条消息", "messages": "消息数", "no_conversations": "没有符合条件的会话。",
		"waiting": "等待中", "escalated": "已转人工", "held_by": "处理人", "resolved": "已解决", "open": "进行中",
		"live_note": "此列表会自动更新。", "conversations": "会话",
		"transcript": "会话", "transcript_messages": "消息", "conversation_id": "会话", "verified_customer": "已验证顾客",
		"not_verified": "未登录", "details": "引用的记录", "order": "订单", "email": "邮箱", "product": "商品",
		"reason": "转人工原因", "csat": "满意度", "created": "开始时间", "state": "状态",
		"role_user": "顾客", "role_assistant": "助手", "role_agent": "人工客服",
		"intent": "意图", "outcome": "结果", "mood": "情绪", "model": "模型", "latency": "首字耗时", "rating": "评价",
		"sources": "来源", "claim": "接管", "claim_force": "从此人手中接管：", "reply": "回复顾客", "send": "发送",
		"handback": "交还给助手", "resolve": "标记为已解决", "assistant_silent": "您正在处理此会话：交还之前助手不会回复。",
		"held_other": "另一位同事正在处理此会话：", "resolve_force": "接手并标记为已解决，原处理人：", "live_events": "新消息到达时会显示在这里。",
		"state_changed": "会话有变化：", "reload": "刷新",
		"ev_claimed": "已被接管：", "ev_handed_back": "已交还：", "ev_resolved": "已解决：", "ev_escalated": "已转人工",
		"ev_rated":        "顾客已评价",
		"short_requested": "要求人工", "short_negative_sentiment": "不满", "short_unanswered": "无法回答", "short_high_risk": "高风险",
		"reason_requested": "顾客要求人工", "reason_negative_sentiment": "顾客持续不满",
		"reason_unanswered": "助手多次无法回答", "reason_high_risk": "法律、安全或拒付风险",
		"documents": "文档", "kind": "类型", "all_kinds": "全部类型", "title": "标题", "lang": "语言", "chunks": "片段数",
		"id": "ID", "delete": "删除", "upload": "上传文档", "files": "文件", "upload_button": "上传",
		"upload_hint": "支持 Markdown、文本、HTML、PDF、CSV 或 JSON；常见问题和商品文件整篇保存。",
		"progress":    "上传进度", "uploaded": "已上传", "upload_problems": "无法读取的部分",
		"search_preview": "检索预览", "query": "问题", "rank": "各检索器排名", "score": "得分",
		"no_documents": "没有文档。", "no_hits": "没有找到段落。", "more": "更多", "admin_needed_upload": "只有管理员可以上传或删除文档。",
		"mode": "模式", "deleted": "已删除", "added": "新增", "updated_docs": "更新", "unchanged": "未变",
		"curated": "精选答案", "question": "问题", "answer": "答案", "phrasings": "问法候选",
		"faq_candidates": "来自人工回复的常见问题候选", "approve": "通过", "reject": "拒绝", "save": "保存",
		"gaps": "内容缺口", "examples": "示例", "count": "被问次数", "document": "文档", "phrasing": "问法",
		"none_pending": "没有待审核的内容。", "edit_then_approve": "编辑后通过",
		"no_gaps": "没有发现内容缺口。", "no_curated": "还没有精选答案（用 shopdesk answers import 或 POST /api/answers 添加）。", "nearest": "最接近的文档", "decided": "已处理：",
		"per_day": "每日会话数", "automated": "自动解决率", "handoffs": "按原因统计的转人工", "handoff_rate": "转人工率",
		"dont_know": "“不知道”比例", "day": "日期", "rate": "比例", "total": "合计", "period": "时间段",
		"no_data": "此时间段没有数据。", "chart": "图表", "table": "表格",
		"catalog": "模型目录", "installed": "各 Ollama 主机上已安装的模型", "doctor": "诊断结果", "fix": "修复方法",
		"level": "级别", "what": "项目", "tag": "Ollama 标签", "description": "说明", "host": "主机", "size": "大小",
		"no_findings": "没有发现问题。", "ok": "正常", "warn": "警告", "fail": "失败",
	},
}
