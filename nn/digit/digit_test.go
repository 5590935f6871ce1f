package digit

import (
	"bytes"
	"errors"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"math"
	"math/rand/v2"
	"testing"

	"golang.org/x/image/bmp"
)

// ---------------------------------------------------------------------------
// Drawings for the tests

// seven is a digit 7 with a crossbar, as strokes on a 280×280 canvas.
var seven = []Stroke{
	{{70, 60}, {210, 60}, {180, 120}, {150, 180}, {125, 240}},
	{{105, 150}, {190, 150}},
}

// four is a digit 4 in two strokes, on a 280×280 canvas.
var four = []Stroke{
	{{170, 40}, {60, 180}, {220, 180}},
	{{170, 40}, {170, 250}},
}

// paint returns a w×h grey image of the strokes drawn with a round pen of
// the given width: ink is the grey level of full ink, bg of the background.
// It computes each pixel's distance to every segment, which is slow but
// independent of the package's own rasteriser.
func paint(w, h int, strokes []Stroke, width float64, ink, bg uint8) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	r := width / 2
	for y := range h {
		for x := range w {
			px, py := float64(x)+0.5, float64(y)+0.5
			d := math.Inf(1)
			for _, s := range strokes {
				for i := range s {
					a, b := s[max(i-1, 0)], s[i]
					dx, dy := b.X-a.X, b.Y-a.Y
					t := 0.0
					if l2 := float64(dx*dx) + float64(dy*dy); l2 > 0 {
						t = min(1, max(0, (float64((px-a.X)*dx)+float64((py-a.Y)*dy))/l2))
					}
					// Explicit conversions keep the compiler from fusing
					// multiplies and adds, and math.Sqrt is exact on every
					// platform, so the picture is the same everywhere.
					qx, qy := px-float64(a.X+float64(t*dx)), py-float64(a.Y+float64(t*dy))
					d = min(d, math.Sqrt(float64(qx*qx)+float64(qy*qy)))
				}
			}
			cov := min(1, max(0, r+0.5-d))
			m.Pix[y*w+x] = uint8(math.Round(float64(bg) + float64(cov*(float64(ink)-float64(bg)))))
		}
	}
	return m
}

// bar returns a w×h image, white, with a black upright bar (a "1") of
// bw×bh pixels whose top-left corner is at (x, y).
func bar(w, h, x, y, bw, bh int) *image.Gray {
	m := image.NewGray(image.Rect(0, 0, w, h))
	for i := range m.Pix {
		m.Pix[i] = 255
	}
	for yy := y; yy < y+bh; yy++ {
		for xx := x; xx < x+bw; xx++ {
			m.Pix[yy*w+xx] = 0
		}
	}
	return m
}

// negate returns g with black and white swapped.
func negate(g *image.Gray) *image.Gray {
	m := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		m.Pix[i] = 255 - v
	}
	return m
}

// inkAlpha returns black ink on a transparent background whose alpha is
// the ink of the black-on-white g.
func inkAlpha(g *image.Gray) *image.NRGBA {
	m := image.NewNRGBA(g.Rect)
	for i, v := range g.Pix {
		m.Pix[4*i+3] = 255 - v
	}
	return m
}

// shape returns the centre of mass of in (in pixel indices, so that the
// centre of the field is (14, 14)), and the bounding box of its pixels of
// at least half ink.
func shape(in *Input) (cx, cy float64, b image.Rectangle) {
	var m, mx, my float64
	for i, v := range in {
		x, y := i%Size, i/Size
		m += float64(v)
		mx += float64(v) * float64(x)
		my += float64(v) * float64(y)
		if v >= 0.5 {
			b = b.Union(image.Rect(x, y, x+1, y+1))
		}
	}
	return mx / m, my / m, b
}

// diff returns the sum of absolute differences between a and b over the
// ink of a: 0 for the same input, 1 for inputs with nothing in common.
func diff(a, b *Input) float64 {
	var d, ink float64
	for i := range a {
		d += math.Abs(float64(a[i] - b[i]))
		ink += float64(a[i])
	}
	return d / ink
}

func encode(t testing.TB, format string, m image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, m)
	case "jpeg":
		err = jpeg.Encode(&buf, m, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&buf, m, nil)
	case "bmp":
		err = bmp.Encode(&buf, m)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// ---------------------------------------------------------------------------
// The recipe

func TestFromImageRecipe(t *testing.T) {
	sevenImg := paint(280, 280, seven, 18, 0, 255)
	for _, tt := range []struct {
		name string
		img  image.Image
		long int // longer side of the half-ink bounding box
	}{
		{"bar 280×280", bar(280, 280, 120, 40, 30, 200), 20},
		{"bar off-centre", bar(600, 400, 10, 10, 12, 90), 20},
		{"bar lying", bar(300, 100, 20, 60, 250, 20), 20},
		{"bar small", bar(28, 28, 3, 2, 3, 20), 20},
		{"seven", sevenImg, 20},
		{"seven 1-pixel pen", paint(280, 280, seven, 1, 0, 255), 20},
		{"seven on grey", paint(280, 280, seven, 18, 60, 180), 20},
		{"seven in a 4000×3000 photo", paintLarge(), 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := FromImage(tt.img)
			if err != nil {
				t.Fatalf("FromImage: %v", err)
			}
			cx, cy, b := shape(in)
			if math.Abs(cx-14) > 0.5 || math.Abs(cy-14) > 0.5 {
				t.Errorf("centre of mass (%.2f, %.2f), want (14, 14) ± 0.5", cx, cy)
			}
			if long := max(b.Dx(), b.Dy()); long < tt.long-1 || long > tt.long+1 {
				t.Errorf("half-ink box %v: longer side %d, want %d ± 1", b, long, tt.long)
			}
			var peak float32
			for _, v := range in {
				if v < 0 || v > 1 {
					t.Fatalf("value %v outside [0, 1]", v)
				}
				peak = max(peak, v)
			}
			if peak != 1 {
				t.Errorf("peak ink %v, want 1", peak)
			}
		})
	}
}

// paintLarge returns the seven drawn with a 12-pixel pen, 1200 pixels tall,
// in a corner of a 4000×3000 page.
func paintLarge() *image.Gray {
	m := image.NewGray(image.Rect(0, 0, 4000, 3000))
	for i := range m.Pix {
		m.Pix[i] = 240
	}
	small := paint(280, 280, seven, 3, 20, 240)
	// Nearest-neighbour upscale by 5 into the corner: a crude but fast way
	// to get a big, sharp drawing.
	for y := range 1400 {
		for x := range 1400 {
			m.Pix[(y+100)*4000+x+2500] = small.Pix[(y/5)*280+x/5]
		}
	}
	return m
}

// The same drawing must give the same input whatever its polarity, and
// whether its background is white or transparent.
func TestPolarityAndAlpha(t *testing.T) {
	img := paint(280, 280, four, 20, 0, 255)
	want, err := FromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name string
		img  image.Image
	}{
		{"white on black", negate(img)},
		{"transparent", inkAlpha(img)},
		{"transparent PNG", mustDecode(t, encode(t, "png", inkAlpha(img)))},
		{"transparent, white ink", whiteInkAlpha(img)},
		{"RGBA", toRGBA(img)},
		{"sub-image", subImage(img)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := FromImage(tt.img)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d != 0 {
				t.Errorf("differs from black on white by %.4f", d)
			}
		})
	}
	// Encodings that change the pixels a little.
	for _, format := range []string{"jpeg", "gif", "bmp"} {
		t.Run(format, func(t *testing.T) {
			got, err := fromFile(bytes.NewReader(encode(t, format, img)))
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d > 0.05 {
				t.Errorf("differs from the original by %.4f, want under 0.05", d)
			}
		})
	}
}

func whiteInkAlpha(g *image.Gray) *image.NRGBA {
	m := inkAlpha(g)
	for i := 0; i < len(m.Pix); i += 4 {
		m.Pix[i], m.Pix[i+1], m.Pix[i+2] = 255, 255, 255
	}
	return m
}

func toRGBA(g *image.Gray) *image.RGBA {
	m := image.NewRGBA(g.Rect)
	for i, v := range g.Pix {
		m.Pix[4*i], m.Pix[4*i+1], m.Pix[4*i+2], m.Pix[4*i+3] = v, v, v, 255
	}
	return m
}

// subImage returns g inside a bigger white image, as a sub-image with the
// same pixels but bounds that do not start at (0, 0).
func subImage(g *image.Gray) image.Image {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	big := image.NewGray(image.Rect(-50, -50, w+100, h+100))
	for i := range big.Pix {
		big.Pix[i] = 200 // anything: it is outside the sub-image
	}
	for y := range h {
		copy(big.Pix[big.PixOffset(0, y):], g.Pix[y*w:(y+1)*w])
	}
	return big.SubImage(g.Rect)
}

func mustDecode(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := decodeFile(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// Pictures of nothing are errors, not guesses.
func TestNoInk(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	noise := func(w, h, base, amp int) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = uint8(base + rng.IntN(2*amp+1) - amp)
		}
		return m
	}
	uniform := func(w, h int, v uint8) *image.Gray {
		m := image.NewGray(image.Rect(0, 0, w, h))
		for i := range m.Pix {
			m.Pix[i] = v
		}
		return m
	}
	specks := uniform(280, 280, 255)
	for range 10 {
		specks.Pix[rng.IntN(len(specks.Pix))] = 0
	}
	for _, tt := range []struct {
		name string
		img  image.Image
	}{
		{"nil", nil},
		{"empty", image.NewGray(image.Rect(0, 0, 0, 0))},
		{"1×1", image.NewGray(image.Rect(0, 0, 1, 1))},
		{"white", uniform(280, 280, 255)},
		{"black", uniform(280, 280, 0)},
		{"grey", uniform(100, 300, 128)},
		{"transparent", image.NewNRGBA(image.Rect(0, 0, 280, 280))},
		{"noise ±15 on white", noise(280, 280, 235, 15)},
		{"noise ±15 on grey", noise(500, 300, 128, 15)},
		{"noise ±15, 1×5000", noise(1, 5000, 128, 15)},
		{"a few specks", specks},
		{"a dot", paint(280, 280, []Stroke{{{140, 140}}}, 30, 0, 255)},
		{"a blot", bar(280, 280, 100, 100, 60, 60)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			in, err := FromImage(tt.img)
			if !errors.Is(err, ErrNoInk) {
				t.Errorf("FromImage = %v, %v; want an error wrapping ErrNoInk", in != nil, err)
			}
		})
	}
}

// Specks of dirt away from the digit do not move or shrink it.
func TestSpecks(t *testing.T) {
	clean := paint(280, 280, seven, 18, 0, 255)
	want, err := FromImage(clean)
	if err != nil {
		t.Fatal(err)
	}
	dirty := image.NewGray(clean.Rect)
	copy(dirty.Pix, clean.Pix)
	for _, p := range []image.Point{{5, 5}, {270, 10}, {8, 260}, {272, 272}, {30, 200}} {
		for dy := range 3 {
			for dx := range 3 {
				dirty.SetGray(p.X+dx, p.Y+dy, color.Gray{0})
			}
		}
	}
	got, err := FromImage(dirty)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(want, got); d > 0.01 {
		t.Errorf("specks change the input by %.4f, want under 0.01", d)
	}
}

// Paper that is darker at one end, as in a phone photo, is still
// background.
func TestShadedPaper(t *testing.T) {
	const w, h = 600, 450
	clean := paint(w, h, scale(seven, 1.5), 20, 30, 255)
	want, err := FromImage(clean)
	if err != nil {
		t.Fatal(err)
	}
	shaded := image.NewGray(clean.Rect)
	for y := range h {
		for x := range w {
			paper := 235 - 90*float64(x)/w // 235 on the left, 145 on the right
			ink := 1 - float64(clean.Pix[y*w+x]-30)/(255-30)
			shaded.Pix[y*w+x] = uint8(paper - ink*(paper-30))
		}
	}
	got, err := FromImage(shaded)
	if err != nil {
		t.Fatal(err)
	}
	if d := diff(want, got); d > 0.1 {
		t.Errorf("shading changes the input by %.4f, want under 0.1", d)
	}
}

// scale returns the strokes with every coordinate multiplied by f.
func scale(strokes []Stroke, f float64) []Stroke {
	out := make([]Stroke, len(strokes))
	for i, s := range strokes {
		for _, p := range s {
			out[i] = append(out[i], Point{p.X * f, p.Y * f})
		}
	}
	return out
}
