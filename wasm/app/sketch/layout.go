package sketch

// A Rect is an axis-aligned rectangle in device pixels.
type Rect struct{ X, Y, W, H float64 }

// Contains reports whether the point (x, y) lies inside r.
func (r Rect) Contains(x, y float64) bool {
	return x >= r.X && x < r.X+r.W && y >= r.Y && y < r.Y+r.H
}

// A Layout places the parts of the app on a screen.
type Layout struct {
	Portrait bool
	Canvas   Rect // the square drawing area
	Result   Rect // the top digit, large, and its probability
	Preview  Rect // the 28×28 input the network sees, square
	// PreviewLabel is under Preview, as wide as Preview's cell: what
	// Preview is, in words.
	PreviewLabel Rect
	Bars         Rect // one bar per digit
	Open         Rect // buttons: open an image, clear, undo
	Clear        Rect
	Undo         Rect
}

// The page's own bands over the top and bottom of the canvas, in CSS
// pixels, as site/style.css has them: the header, with the heading and the
// language switch, and the footer, with the model's line.
const (
	HeaderHeight = 40
	FooterHeight = 24
)

// NewPageLayout lays out the page's screen of w×h device pixels, scale
// device pixels per CSS pixel, as NewLayout does in the part between the
// header and the footer.
func NewPageLayout(w, h, scale float64) Layout {
	scale = max(scale, 0.5)
	l := NewLayout(w, h-(HeaderHeight+FooterHeight)*scale, scale)
	dy := HeaderHeight * scale
	for _, r := range l.rects() {
		r.Y += dy
	}
	return l
}

// rects returns the layout's rectangles.
func (l *Layout) rects() []*Rect {
	return []*Rect{&l.Canvas, &l.Result, &l.Preview, &l.PreviewLabel, &l.Bars, &l.Open, &l.Clear, &l.Undo}
}

// placePreview puts the preview and its label in the square cell of side
// row at (x, y): the label takes a band at the bottom, and the preview is
// the square above it, centred.
func (l *Layout) placePreview(x, y, row float64) {
	band := row * 0.2
	side := row - band
	l.Preview = Rect{x + band/2, y, side, side}
	l.PreviewLabel = Rect{x, y + side, row, band}
}

// MinTarget is the smallest side of a button, in CSS pixels: big enough for
// a finger (WCAG's 44 px, rounded up).
const MinTarget = 48

// NewLayout lays out a screen of w×h device pixels with scale device pixels
// per CSS pixel. A tall screen (a phone held upright) puts the drawing area
// on top and the results below it; a wide one puts them side by side.
func NewLayout(w, h, scale float64) Layout {
	scale = max(scale, 0.5)
	m := 12 * scale // margin
	target := MinTarget * scale
	var l Layout
	l.Portrait = h > w
	if l.Portrait {
		// Drawing area on top, as wide as the screen allows while leaving
		// room below for the buttons and the results.
		side := max(min(w-2*m, h-2*m-target-m-3*target-m), target)
		l.Canvas = Rect{(w - side) / 2, m, side, side}
		y := l.Canvas.Y + side + m
		y += l.placeButtons(l.Canvas.X, y, side, target, m) + m
		rest := max(h-y-m, target)
		// The result and the preview share a row; the bars take the rest.
		row := min(rest/2, side/3)
		l.Result = Rect{l.Canvas.X, y, side - row - m, row}
		l.placePreview(l.Canvas.X+side-row, y, row)
		y += row + m
		l.Bars = Rect{l.Canvas.X, y, side, max(h-y-m, target)}
		return l
	}
	side := max(min(h-2*m, w*0.6-2*m), target)
	l.Canvas = Rect{m, (h - side) / 2, side, side}
	x := l.Canvas.X + side + 2*m
	cw := max(w-x-m, target)
	y := l.Canvas.Y
	row := min(side/3, cw/2)
	l.Result = Rect{x, y, cw - row - m, row}
	l.placePreview(x+cw-row, y, row)
	y += row + m
	buttonsH := l.placeButtons(x, 0, cw, target, m)
	barsH := max(side-row-m-buttonsH-m, target)
	l.Bars = Rect{x, y, cw, barsH}
	y += barsH + m
	l.placeButtons(x, y, cw, target, m)
	return l
}

// placeButtons puts Open, Clear and Undo in a row w wide at (x, y), each at
// least target on a side, or, if the row is too narrow for three, Open
// alone above the other two. It returns the height they take.
func (l *Layout) placeButtons(x, y, w, target, m float64) float64 {
	if bw := (w - 2*m) / 3; bw >= target {
		l.Open = Rect{x, y, bw, target}
		l.Clear = Rect{x + bw + m, y, bw, target}
		l.Undo = Rect{x + 2*(bw+m), y, bw, target}
		return target
	}
	l.Open = Rect{x, y, w, target}
	y += target + m
	bw := (w - m) / 2
	l.Clear = Rect{x, y, bw, target}
	l.Undo = Rect{x + bw + m, y, bw, target}
	return 2*target + m
}

// ToCanvas converts a screen point to normalised drawing coordinates.
func (l Layout) ToCanvas(x, y float64) (cx, cy float64) {
	return (x - l.Canvas.X) / l.Canvas.W, (y - l.Canvas.Y) / l.Canvas.H
}
