package digit_test

import (
	"bytes"
	"fmt"
	"image"
	"image/jpeg"
	"image/png"
	"testing"

	"golang.org/x/image/bmp"
	"golang.org/x/image/draw"

	"github.com/tegaki/tegaki/nn"
	"github.com/tegaki/tegaki/nn/digit"
	"github.com/tegaki/tegaki/nn/digit/imagefile"
	"github.com/tegaki/tegaki/nn/mnist"
	"github.com/tegaki/tegaki/nn/mnist/mnisttest"
	"github.com/tegaki/tegaki/nn/pretrained"
)

// The bar for digits saved as a person would save them: agreement
// with the label of at least 98.5% over all styles, and no more than half
// a point below the model's accuracy on the same digits fed directly.
const (
	minRealAccuracy = 0.985
	maxRealDrop     = 0.005
)

// A saveStyle renders MNIST digit ink (28×28, 0 background, 255 ink) as the
// bytes of an image file, as a person might have saved it.
type saveStyle struct {
	name   string
	render func(ink []byte, i int) ([]byte, error)
}

var saveStyles = []saveStyle{
	// Drawn in Paint: black on white, 280×280, saved as BMP.
	{"paint-bmp", func(ink []byte, i int) ([]byte, error) {
		return encodeBMP(negative(upscale(ink, 280)))
	}},
	// A dark-mode canvas: white on black.
	{"white-on-black", func(ink []byte, i int) ([]byte, error) {
		return encodePNG(upscale(ink, 280))
	}},
	{"small-64", func(ink []byte, i int) ([]byte, error) {
		return encodePNG(negative(upscale(ink, 64)))
	}},
	// A 120-pixel digit in one corner of a 600×400 page.
	{"off-centre", func(ink []byte, i int) ([]byte, error) {
		page := image.NewGray(image.Rect(0, 0, 600, 400))
		corners := []image.Point{{8, 8}, {472, 8}, {8, 272}, {472, 272}}
		at := corners[i%len(corners)]
		draw.Copy(page, at, upscale(ink, 120), image.Rect(0, 0, 120, 120), draw.Src, nil)
		return encodePNG(negative(page))
	}},
	// A marker: strokes widened by 3 pixels on each side at 112×112, so
	// by 7.5 at 280×280.
	{"thick", func(ink []byte, i int) ([]byte, error) {
		return encodePNG(negative(scaleGray(morph(upscale(ink, 112), 3, true), 280)))
	}},
	// Paint's pencil: the digit's skeleton, one pixel wide.
	{"thin", func(ink []byte, i int) ([]byte, error) {
		return encodePNG(negative(skeleton(upscale(ink, 280))))
	}},
	{"jpeg-70", func(ink []byte, i int) ([]byte, error) {
		var buf bytes.Buffer
		err := jpeg.Encode(&buf, negative(upscale(ink, 280)), &jpeg.Options{Quality: 70})
		return buf.Bytes(), err
	}},
	// Black ink on a transparent canvas.
	{"transparent", func(ink []byte, i int) ([]byte, error) {
		g := upscale(ink, 280)
		m := image.NewNRGBA(g.Rect)
		for j, a := range g.Pix {
			m.Pix[4*j+3] = a
		}
		return encodePNG(m)
	}},
}

// TestRealImages is the proof on real images: MNIST test digits
// saved in each style, read back through imagefile.Input, classified by the
// embedded model.
func TestRealImages(t *testing.T) {
	if testing.Short() {
		t.Skip("renders, decodes and classifies 8,000 images")
	}
	// Every tenth test digit: 1,000 digits in 8 styles. Fewer digits make
	// the comparison with the direct accuracy too noisy to hold to half a
	// point.
	const step = 10
	set := mnistTest(t)
	net, err := pretrained.Net()
	if err != nil {
		t.Fatal(err)
	}
	var picks []int
	for i := 0; i < set.Len(); i += step {
		picks = append(picks, i)
	}
	labels := make([]int, len(picks))
	direct := nn.NewTensor(len(picks), 1, digit.Size, digit.Size)
	for k, i := range picks {
		labels[k] = int(set.Labels[i])
		for j, v := range set.Image(i) {
			direct.Data[k*digit.Size*digit.Size+j] = float32(v) / 255
		}
	}
	base := net.Accuracy(direct, labels, 250)
	t.Logf("direct 28×28: %.2f%% of %d", 100*base, len(picks))

	x := nn.NewTensor(len(picks), 1, digit.Size, digit.Size)
	correct, total := 0, 0
	for _, st := range saveStyles {
		for k, i := range picks {
			b, err := st.render(set.Image(i), i)
			if err != nil {
				t.Fatalf("%s: render test digit %d: %v", st.name, i, err)
			}
			in, err := imagefile.Input(bytes.NewReader(b), 0)
			if err != nil {
				t.Fatalf("%s: test digit %d: %v", st.name, i, err)
			}
			copy(x.Data[k*len(in):], in[:])
		}
		acc := net.Accuracy(x, labels, 250)
		t.Logf("%-14s %.2f%%", st.name, 100*acc)
		correct += int(acc*float64(len(picks)) + 0.5)
		total += len(picks)
	}
	acc := float64(correct) / float64(total)
	t.Logf("all styles: %.2f%% of %d images (direct %.2f%%)", 100*acc, total, 100*base)
	if acc < minRealAccuracy || acc < base-maxRealDrop {
		t.Errorf("accuracy on saved images %.2f%%, want at least %.2f%% and at least %.2f%% (direct %.2f%% less %.1f points)",
			100*acc, 100*minRealAccuracy, 100*(base-maxRealDrop), 100*base, 100*maxRealDrop)
	}
}

func mnistTest(t testing.TB) *mnist.Set {
	t.Helper()
	_, test, err := mnisttest.Load()
	if err != nil {
		t.Fatal(err)
	}
	return test
}

// upscale returns MNIST ink (28×28) smoothly scaled to n×n, ink still white.
func upscale(ink []byte, n int) *image.Gray {
	return scaleGray(&image.Gray{Pix: ink, Stride: digit.Size, Rect: image.Rect(0, 0, digit.Size, digit.Size)}, n)
}

// scaleGray returns g smoothly scaled to n×n.
func scaleGray(g *image.Gray, n int) *image.Gray {
	dst := image.NewGray(image.Rect(0, 0, n, n))
	draw.CatmullRom.Scale(dst, dst.Rect, g, g.Rect, draw.Src, nil)
	return dst
}

// negative returns g with black and white swapped.
func negative(g *image.Gray) *image.Gray {
	m := image.NewGray(g.Rect)
	for i, v := range g.Pix {
		m.Pix[i] = 255 - v
	}
	return m
}

// morph returns g dilated (the largest value) or eroded (the smallest)
// over a disc of radius r.
func morph(g *image.Gray, r int, dilate bool) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	m := image.NewGray(g.Rect)
	for y := range h {
		for x := range w {
			best := g.Pix[y*w+x]
			for dy := -r; dy <= r; dy++ {
				for dx := -r; dx <= r; dx++ {
					nx, ny := x+dx, y+dy
					if dx*dx+dy*dy > r*r || nx < 0 || ny < 0 || nx >= w || ny >= h {
						continue
					}
					if v := g.Pix[ny*w+nx]; dilate {
						best = max(best, v)
					} else {
						best = min(best, v)
					}
				}
			}
			m.Pix[y*w+x] = best
		}
	}
	return m
}

// skeleton returns the skeleton of g's ink at half level, one pixel wide
// and fully inked, by Zhang and Suen's thinning ("A fast parallel algorithm
// for thinning digital patterns", CACM 27(3), 1984).
func skeleton(g *image.Gray) *image.Gray {
	w, h := g.Rect.Dx(), g.Rect.Dy()
	on := make([]bool, w*h)
	for i, v := range g.Pix {
		on[i] = v >= 128
	}
	at := func(x, y int) bool { return x >= 0 && y >= 0 && x < w && y < h && on[y*w+x] }
	var del []int
	for changed := true; changed; {
		changed = false
		for pass := range 2 {
			del = del[:0]
			for y := range h {
				for x := range w {
					if !on[y*w+x] {
						continue
					}
					// P2..P9 clockwise from north.
					p := [8]bool{at(x, y-1), at(x+1, y-1), at(x+1, y), at(x+1, y+1), at(x, y+1), at(x-1, y+1), at(x-1, y), at(x-1, y-1)}
					n, s := 0, 0
					for k := range 8 {
						if p[k] {
							n++
						}
						if !p[k] && p[(k+1)%8] {
							s++
						}
					}
					if n < 2 || n > 6 || s != 1 {
						continue
					}
					if pass == 0 && (p[0] && p[2] && p[4] || p[2] && p[4] && p[6]) {
						continue
					}
					if pass == 1 && (p[0] && p[2] && p[6] || p[0] && p[4] && p[6]) {
						continue
					}
					del = append(del, y*w+x)
				}
			}
			for _, i := range del {
				on[i] = false
			}
			changed = changed || len(del) > 0
		}
	}
	m := image.NewGray(g.Rect)
	for i, o := range on {
		if o {
			m.Pix[i] = 255
		}
	}
	return m
}

func encodePNG(m image.Image) ([]byte, error) {
	var buf bytes.Buffer
	err := png.Encode(&buf, m)
	return buf.Bytes(), err
}

func encodeBMP(m image.Image) ([]byte, error) {
	var buf bytes.Buffer
	if err := bmp.Encode(&buf, m); err != nil {
		return nil, fmt.Errorf("bmp: %w", err)
	}
	return buf.Bytes(), nil
}
