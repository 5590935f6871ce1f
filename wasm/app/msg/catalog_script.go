//go:build !(js && wasm)

package msg

// scriptTable holds the messages that only the page's HTML and scripts
// show (Place PageScript), from site/messages.js. Nothing in the app shows
// them, so the wasm build leaves them out, which keeps about 1.5 KB off
// its gzipped size; go generate, tools/bundle's manifests (through
// messages.js) and the tests, which run natively, have them.
var scriptTable = []Message{
	{Title, PageScript, "tegaki · handwritten digit recogniser", "tegaki · 手書き数字認識"},
	{Tagline, PageScript, "handwritten digit recogniser", "手書き数字認識"},
	{Description, PageScript,
		"Draw a digit; a neural network written from scratch in Go reads it, in your browser, with no server.",
		"数字を1つ書くと、Goでゼロから書いたニューラルネットワークがブラウザの中で読み取ります。サーバーは使いません。"},
	{LangName, PageScript, "English", "日本語"},
	{LangSwitch, PageScript, "Language", "表示言語"},
	{Loading, PageScript, "Loading tegaki…", "tegakiを読み込んでいます…"},
	{LoadingShort, PageScript, "Loading…", "読み込み中…"},
	{ProgressLabel, PageScript, "download progress", "ダウンロードの進み具合"},
	{ProgressOf, PageScript, "%s of %s MB", "%s / %s MB"},
	{ProgressMB, PageScript, "%s MB", "%s MB"},
	{NoWasm, PageScript,
		"This browser cannot run WebAssembly, which tegaki needs. Try a recent Chrome, Firefox or Safari.",
		"このブラウザではtegakiに必要なWebAssemblyが動きません。新しいChrome、Firefox、Safariでお試しください。"},
	{NoWebGL, PageScript,
		"This browser has no WebGL 2, which tegaki's drawing canvas needs. Try a recent browser, or enable hardware acceleration.",
		"このブラウザには、手書き欄の表示に必要なWebGL 2がありません。新しいブラウザを使うか、ハードウェアアクセラレーションを有効にしてください。"},
	{UpdateReady, PageScript, "A new version is ready —", "新しいバージョンがあります"},
	{Reload, PageScript, "Reload", "更新する"},
	{DrawingArea, PageScript, "drawing area: draw one digit", "手書き欄: 数字を1つ書いてください"},
	{OpenTitle, PageScript, "Open an image of a digit (or drop or paste one)", "数字の画像を開く（ドロップや貼り付けでも開けます）"},
	{OpenAria, PageScript, "Open an image of a digit", "数字の画像を開く"},
	{LoadingModel, PageScript, "loading model…", "モデルを読み込み中…"},
	{FooterHow, PageScript, "draw with a mouse, pen or finger, or open, drop or paste an image", "マウス・ペン・指で書くか、画像を開く・ドロップ・貼り付け"},
	{FooterKeys, PageScript, "Esc clears, Ctrl+Z undoes", "Escで消去、Ctrl+Zで戻す"},
	{NotAnImage, PageScript, "Could not open %s: it is not an image this browser can read.", "%sを開けませんでした。このブラウザで読める画像ではありません。"},
	{ManifestName, PageScript, "tegaki: handwritten digits", "tegaki: 手書き数字認識"},
	{ManifestDesc, PageScript,
		"Draw a digit; a neural network written from scratch in Go reads it, on your device, offline.",
		"数字を1つ書くと、Goでゼロから書いたニューラルネットワークが端末の中で読み取ります。オフラインでも使えます。"},
}
