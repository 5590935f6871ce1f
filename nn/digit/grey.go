package digit

import (
	"image"
)

// luma returns the 8-bit grey level of an alpha-premultiplied 16-bit colour,
// with color.GrayModel's weights (ITU-R BT.601). Integer arithmetic keeps it
// exact on every platform.
func luma(r, g, b uint32) uint8 {
	return uint8((19595*r + 38470*g + 7471*b + 1<<15) >> 24)
}

// grey returns img as 8-bit grey levels, row-major, w·h of them, with
// transparent parts composited onto a background as the package
// documentation describes. It returns ErrNoInk for an image that is
// entirely transparent. The caller has checked the size limits.
func grey(img image.Image) (g []uint8, w, h int, err error) {
	b := img.Bounds()
	w, h = b.Dx(), b.Dy()
	if !wellFormed(img) {
		return nil, 0, 0, errMalformed
	}
	g = make([]uint8, w*h)
	switch img.(type) {
	case *image.Gray, *image.YCbCr:
		greyOpaque(g, img)
		return g, w, h, nil
	}
	// g gets the premultiplied luma (ink colour times coverage), a the
	// alpha. (Opaque methods are not used: Paletted's panics on a nil
	// colour.)
	a := make([]uint8, w*h)
	greyAlpha(g, a, img)
	for _, al := range a {
		if al != 255 {
			if err := composite(g, a); err != nil {
				return nil, 0, 0, err
			}
			break
		}
	}
	return g, w, h, nil
}

// errMalformed is returned for an image whose pixel slice is shorter
// than its bounds need.
var errMalformed error = &Error{Reason: "malformed image: too few pixels for its bounds"}

// wellFormed reports whether the pixel slices of the image types that grey
// reads directly are long enough for their bounds.
func wellFormed(img image.Image) bool {
	b := img.Bounds()
	last := b.Max.Sub(image.Pt(1, 1))
	in := func(off, bytes, n int) bool {
		return off >= 0 && off+bytes <= n
	}
	switch m := img.(type) {
	case *image.Gray:
		return m.Stride >= 0 && in(m.PixOffset(b.Min.X, b.Min.Y), 1, len(m.Pix)) && in(m.PixOffset(last.X, last.Y), 1, len(m.Pix))
	case *image.RGBA:
		return m.Stride >= 0 && in(m.PixOffset(b.Min.X, b.Min.Y), 4, len(m.Pix)) && in(m.PixOffset(last.X, last.Y), 4, len(m.Pix))
	case *image.NRGBA:
		return m.Stride >= 0 && in(m.PixOffset(b.Min.X, b.Min.Y), 4, len(m.Pix)) && in(m.PixOffset(last.X, last.Y), 4, len(m.Pix))
	case *image.Paletted:
		return m.Stride >= 0 && in(m.PixOffset(b.Min.X, b.Min.Y), 1, len(m.Pix)) && in(m.PixOffset(last.X, last.Y), 1, len(m.Pix))
	case *image.YCbCr:
		return m.YStride >= 0 && in(m.YOffset(b.Min.X, b.Min.Y), 1, len(m.Y)) && in(m.YOffset(last.X, last.Y), 1, len(m.Y))
	}
	return true
}

// greyOpaque fills g with the grey levels of a *image.Gray or *image.YCbCr.
func greyOpaque(g []uint8, img image.Image) {
	b := img.Bounds()
	w := b.Dx()
	switch m := img.(type) {
	case *image.Gray:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			i := m.PixOffset(b.Min.X, y)
			copy(g[(y-b.Min.Y)*w:], m.Pix[i:i+w])
		}
	case *image.YCbCr:
		// Y is the BT.601 luma already.
		for y := b.Min.Y; y < b.Max.Y; y++ {
			i := m.YOffset(b.Min.X, y)
			copy(g[(y-b.Min.Y)*w:], m.Y[i:i+w])
		}
	}
}

// greyAlpha fills g with the premultiplied luma of img and a with its
// alpha.
func greyAlpha(g, a []uint8, img image.Image) {
	b := img.Bounds()
	w := b.Dx()
	i := 0
	switch m := img.(type) {
	case *image.RGBA:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				q := p[4*x : 4*x+4 : 4*x+4]
				al := uint32(q[3]) * 0x101 // a valid RGBA has no colour above its alpha
				g[i] = luma(min(uint32(q[0])*0x101, al), min(uint32(q[1])*0x101, al), min(uint32(q[2])*0x101, al))
				a[i] = q[3]
				i++
			}
		}
	case *image.NRGBA:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				q := p[4*x : 4*x+4 : 4*x+4]
				// As color.NRGBA.RGBA premultiplies.
				al := uint32(q[3]) * 0x101
				g[i] = luma(uint32(q[0])*0x101*al/0xffff, uint32(q[1])*0x101*al/0xffff, uint32(q[2])*0x101*al/0xffff)
				a[i] = q[3]
				i++
			}
		}
	case *image.Paletted:
		// image.Paletted's At panics on an index beyond the palette or a
		// nil colour; such pixels count as transparent here.
		var lg, la [256]uint8
		for j, c := range m.Palette {
			if j == len(lg) {
				break
			}
			if c != nil {
				r, gg, bb, al := c.RGBA()
				lg[j], la[j] = luma(min(r, al), min(gg, al), min(bb, al)), uint8(al>>8)
			}
		}
		for y := b.Min.Y; y < b.Max.Y; y++ {
			p := m.Pix[m.PixOffset(b.Min.X, y):]
			for x := 0; x < w; x++ {
				g[i] = lg[p[x]]
				a[i] = la[p[x]]
				i++
			}
		}
	case image.RGBA64Image:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				c := m.RGBA64At(x, y)
				al := uint32(c.A)
				g[i] = luma(min(uint32(c.R), al), min(uint32(c.G), al), min(uint32(c.B), al))
				a[i] = uint8(al >> 8)
				i++
			}
		}
	default:
		for y := b.Min.Y; y < b.Max.Y; y++ {
			for x := b.Min.X; x < b.Max.X; x++ {
				var r, gg, bb, al uint32
				if c := m.At(x, y); c != nil {
					r, gg, bb, al = c.RGBA()
				}
				g[i] = luma(min(r, al), min(gg, al), min(bb, al))
				a[i] = uint8(al >> 8)
				i++
			}
		}
	}
}

// composite turns the premultiplied luma g and alpha a into opaque grey
// levels in g. If less than half of the image is opaque (alpha at least
// one half), the opaque parts are the drawing and go onto white if their
// mean colour is dark and onto black otherwise; else the transparent parts
// take the median colour of the opaque ones.
func composite(g, a []uint8) error {
	var sumA, sumY uint64
	opaque := 0
	for i, al := range a {
		sumA += uint64(al)
		sumY += uint64(g[i])
		if al >= 128 {
			opaque++
		}
	}
	if sumA == 0 {
		return ErrNoInk
	}
	var white bool
	if 2*opaque < len(a) {
		white = 2*sumY < sumA // mean un-premultiplied luma under one half
	} else {
		var hist [256]int
		for i, al := range a {
			if al >= 128 {
				hist[(uint32(g[i])*255+uint32(al)/2)/uint32(al)]++
			}
		}
		white = percentile(&hist, opaque, 1, 2) >= 128
	}
	if white {
		for i, al := range a {
			g[i] += 255 - al // g ≤ a, so no overflow
		}
	}
	// On black, the premultiplied luma is already the composited grey.
	return nil
}

// percentile returns the smallest level v such that at least num/den of the
// n values counted in hist are at or below v.
func percentile(hist *[256]int, n, num, den int) int {
	want := (n*num + den - 1) / den
	want = max(want, 1)
	c := 0
	for v, k := range hist {
		c += k
		if c >= want {
			return v
		}
	}
	return 255
}
