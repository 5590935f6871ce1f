package msg

// A Key names a message. Its value is also the message's name in
// site/messages.js and in the page's data-msg attributes.
type Key string

// Messages drawn on the canvas.
const (
	Open         Key = "open"          // button: open an image
	Clear        Key = "clear"         // button: clear the drawing
	Undo         Key = "undo"          // button: undo the last stroke
	Hint         Key = "hint"          // the first visit's empty drawing area: what to do
	AnswerHere   Key = "answer-here"   // the first visit's empty result: where the answer will be
	Prompt       Key = "prompt"        // an empty drawing area after the first visit
	NotSure      Key = "not-sure"      // under an unsure answer; %s is its percentage
	PreviewLabel Key = "preview-label" // under the 28×28 picture the network reads
	NoDigitFound Key = "no-digit"      // an opened picture without a digit
	CantRead     Key = "cant-read"     // an opened picture that could not be prepared
	CantOpen     Key = "cant-open"     // a file that could not be opened
	WhyAsk       Key = "why-ask"       // the preview's caption: tap for the why map
	WhyIs        Key = "why-is"        // the caption over the answer's map: %d is the digit
	WhyNot       Key = "why-not"       // the caption over another digit's map: %d is the digit
)

// Messages of the HTML page.
const (
	Title            Key = "title"            // <title>
	Tagline          Key = "tagline"          // the heading, after the name
	Description      Key = "description"      // <meta name="description">
	LangName         Key = "lang-name"        // the language's own name, on the switch to it
	LangSwitch       Key = "lang-switch"      // the switch's accessible name
	Loading          Key = "loading"          // the loader's line
	LoadingShort     Key = "loading-short"    // #prediction before the app runs
	ProgressLabel    Key = "progress-label"   // the progress bar's accessible name
	ProgressOf       Key = "progress-of"      // %s MB of %s MB downloaded
	ProgressMB       Key = "progress-mb"      // %s MB downloaded, total unknown
	NoWasm           Key = "no-wasm"          // the browser lacks WebAssembly
	NoWebGL          Key = "no-webgl"         // the browser lacks WebGL 2
	CouldNotStart    Key = "could-not-start"  // %s is why
	UpdateReady      Key = "update-ready"     // pwa.js's banner
	Reload           Key = "reload"           // its button
	DrawingArea      Key = "drawing-area"     // the drawing area's accessible name
	OpenTitle        Key = "open-title"       // the Open button's tooltip
	OpenAria         Key = "open-aria"        // the file input's accessible name
	LoadingModel     Key = "loading-model"    // the footer before the model is known
	FooterHow        Key = "footer-how"       // the footer: how to draw
	FooterKeys       Key = "footer-keys"      // the footer: keys
	ModelLine        Key = "model-line"       // the footer: %s hash, %.2f accuracy
	DrawADigit       Key = "draw-a-digit"     // #prediction with nothing drawn
	Sure             Key = "sure"             // #prediction: %d digit, %d percent
	Maybe            Key = "maybe"            // #prediction, unsure: %d digit, %d percent
	NoDigitInPicture Key = "no-digit-picture" // #prediction: an opened picture without a digit
	CouldNotRead     Key = "could-not-read"   // #prediction: %s is why
	CouldNotOpen     Key = "could-not-open"   // #prediction: %s is why
	CouldNotOpenFile Key = "could-not-open-file"
	NotAnImage       Key = "not-an-image"         // tegaki.js: %s is the file's name
	ManifestName     Key = "manifest-name"        // the installed app's name (tools/bundle)
	ManifestDesc     Key = "manifest-description" // its description (tools/bundle)
)

// appTable is the part of the catalog that the app shows (Canvas and
// Page), and scriptTable (catalog_script.go) the part that only the page's
// scripts show. The Japanese is written for a Japanese reader, as the
// page's own words, not word for word from the English.
var appTable = []Message{
	{Open, Canvas, "Open", "開く"},
	{Clear, Canvas, "Clear", "消す"},
	{Undo, Canvas, "Undo", "戻す"},
	{Hint, Canvas, "Write one digit, 0-9", "0〜9の数字を1つ書いてください"},
	{AnswerHere, Canvas, "the answer appears here", "ここに答えが出ます"},
	{Prompt, Canvas, "draw a digit", "数字を書いてください"},
	{NotSure, Canvas, "not sure · %s", "自信なし · %s"},
	{PreviewLabel, Canvas, "network input", "ネットワークの入力"},
	{NoDigitFound, Canvas, "no digit found", "数字が見つかりません"},
	{CantRead, Canvas, "can't read it", "読み取れません"},
	{CantOpen, Canvas, "can't open it", "開けません"},
	{WhyAsk, Canvas, "why?", "なぜ？"},
	{WhyIs, Canvas, "why %d", "なぜ%d？"},
	{WhyNot, Canvas, "why not %d", "なぜ%dでない？"},
	{CouldNotStart, Page, "tegaki could not start: %s", "tegakiを起動できませんでした: %s"},
	{ModelLine, Page, "model %s · %.2f%% on MNIST test", "モデル %s · MNISTテストで正解率%.2f%%"},
	{DrawADigit, Page, "Draw a digit.", "数字を書いてください。"},
	{Sure, Page, "%d (%d%% sure)", "%d（確信度%d%%）"},
	{Maybe, Page, "Not sure: maybe %d (%d%%)", "自信なし: たぶん%d（%d%%）"},
	{NoDigitInPicture, Page, "No digit found in the picture.", "画像に数字が見つかりませんでした。"},
	{CouldNotRead, Page, "Could not read the picture: %s.", "画像を読み取れませんでした: %s"},
	{CouldNotOpen, Page, "Could not open the image: %s.", "画像を開けませんでした: %s"},
	{CouldNotOpenFile, Page, "Could not open the file.", "ファイルを開けませんでした。"},
}
