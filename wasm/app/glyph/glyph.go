// Package glyph draws short strings as vector outlines of the Go Regular
// font, and of Noto Sans CJK JP for the Japanese the app shows.
//
// It exists to keep the browser app small: a full text stack (shaping,
// font parsing, glyph caches) costs about a megabyte of compressed wasm,
// while the app only ever shows a few labels and digits. Here the outlines
// of a fixed character set are baked into the binary by gen.go, and drawing
// a string is a walk over those outlines into a [Path], such as ebiten's
// *vector.Path, which the caller then fills.
//
// # Character set
//
// The package knows space, the digits 0-9, '.', '%' and '?', which the app
// formats at run time, and every character of the messages that the app's
// catalog (wasm/app/msg) draws on the canvas, in every language, and no
// more: the browser app must stay within 2.9 MB of gzipped wasm, and each
// kanji costs it about half a kilobyte, each Latin letter a hundred bytes.
// A label drawn on the canvas is therefore a message of the catalog; after
// a change to the catalog's canvas messages, go generate rebakes the set
// (it reads Debian's fonts-noto-cjk).
// Any other character, including a newline or an invalid UTF-8 byte, is
// drawn and measured as '?', so that missing glyphs are visible rather than
// silently dropped. There is no kerning and no line breaking.
//
// # Coordinates
//
// Sizes are in em: a size of 32 draws text whose font size is 32 units,
// the same meaning as a font face's size. Coordinates grow rightward and
// downward, as on screen, and a string's origin is the left end of its
// baseline.
package glyph

//go:generate go run gen.go

// Path is what glyph outlines are drawn into. Each glyph contour is one
// MoveTo, some LineTo, QuadTo and CubicTo segments, and a Close.
// *vector.Path from github.com/hajimehoshi/ebiten/v2/vector implements Path.
type Path interface {
	MoveTo(x, y float32)
	LineTo(x, y float32)
	QuadTo(x1, y1, x2, y2 float32)
	CubicTo(x1, y1, x2, y2, x3, y3 float32)
	Close()
}

// glyphData is one glyph of the character set.
type glyphData struct {
	r   rune  // character
	adv int16 // advance width in font units
	// start is the offset in coords of the glyph's points: x, y pairs in
	// font units, relative to the glyph's origin on the baseline, y
	// growing downward, each coordinate stored as its difference from the
	// previous point's (the first point's from 0, 0), zigzag-encoded as a
	// varint (encoding/binary's Uvarint of 2d, or of -2d-1 if d < 0).
	start uint16
	// ops has one letter per segment: 'M' MoveTo, 'L' LineTo,
	// 'Q' QuadTo, 'C' CubicTo, taking 1, 1, 2 and 3 points from coords.
	// Every contour ends with an implicit Close.
	ops string
}

// Width returns the advance width of s drawn at the given size,
// which is how far Append moves along the baseline.
func Width(s string, size float32) float32 {
	var w int
	for _, r := range s {
		w += int(lookup(r).adv)
	}
	return float32(w) * size / unitsPerEm
}

// Fit returns size, or the smaller size at which s is width wide if s
// would be wider: the size at which a label fits a box.
func Fit(s string, size, width float32) float32 {
	if w := Width(s, size); w > width && w > 0 {
		return size * width / w
	}
	return size
}

// Metrics returns the font's ascent (baseline to the top of the tallest
// glyphs), descent (baseline to the bottom of the lowest, positive) and
// cap height (baseline to the top of capitals and digits) at the given size.
func Metrics(size float32) (ascent, descent, capHeight float32) {
	k := size / unitsPerEm
	return fontAscent * k, fontDescent * k, fontCapHeight * k
}

// Append adds the outlines of s to p, with the left end of the baseline
// at (x, y) and the given size. It does not allocate unless p does.
func Append(p Path, s string, x, y, size float32) {
	k := size / unitsPerEm
	// The pen is kept in font units so glyph positions agree exactly
	// with Width, whatever the length of s.
	pen := 0
	for _, r := range s {
		g := lookup(r)
		appendGlyph(p, g, x+float32(pen)*k, y, k)
		pen += int(g.adv)
	}
}

// AppendCentered adds the outlines of s to p like Append, placed so that
// the string's advance width is centred on cx and the band from the
// baseline to the cap height, where digits and capitals sit, is centred
// on cy. Descenders and accents fall outside that band.
func AppendCentered(p Path, s string, cx, cy, size float32) {
	k := size / unitsPerEm
	Append(p, s, cx-Width(s, size)/2, cy+fontCapHeight*k/2, size)
}

// appendGlyph adds g's contours to p, scaled by k and moved to (x, y).
func appendGlyph(p Path, g *glyphData, x, y, k float32) {
	c := coords[g.start:]
	var px, py int // the last point read, in font units
	// next returns the glyph's next point in screen coordinates.
	next := func() (float32, float32) {
		var dx, dy int
		dx, c = varint(c)
		dy, c = varint(c)
		px, py = px+dx, py+dy
		return x + float32(px)*k, y + float32(py)*k
	}
	for j := 0; j < len(g.ops); j++ {
		switch g.ops[j] {
		case 'M':
			if j > 0 {
				p.Close()
			}
			p.MoveTo(next())
		case 'L':
			p.LineTo(next())
		case 'Q':
			x0, y0 := next()
			x1, y1 := next()
			p.QuadTo(x0, y0, x1, y1)
		case 'C':
			x0, y0 := next()
			x1, y1 := next()
			x2, y2 := next()
			p.CubicTo(x0, y0, x1, y1, x2, y2)
		}
	}
	if len(g.ops) > 0 {
		p.Close()
	}
}

// varint returns the zigzag varint at the start of s and the rest of s.
// It panics if s ends inside one: coords is generated, and never does.
func varint(s string) (int, string) {
	var u uint64
	for i, shift := 0, uint(0); i < len(s); i, shift = i+1, shift+7 {
		u |= uint64(s[i]&0x7f) << shift
		if s[i] < 0x80 {
			return int(u>>1) ^ -int(u&1), s[i+1:]
		}
	}
	panic("glyph: coords ends inside a number")
}

// lookup returns the glyph for r, or the glyph for '?' if r is not in
// the character set.
func lookup(r rune) *glyphData {
	if g := find(r); g != nil {
		return g
	}
	return question
}

// question is the glyph drawn for characters outside the set.
var question = find('?')

// find returns the glyph for r, or nil if r is not in the character set.
func find(r rune) *glyphData {
	// Binary search: glyphs is sorted by rune.
	lo, hi := 0, len(glyphs)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		switch g := &glyphs[m]; {
		case g.r == r:
			return g
		case g.r < r:
			lo = m + 1
		default:
			hi = m
		}
	}
	return nil
}
