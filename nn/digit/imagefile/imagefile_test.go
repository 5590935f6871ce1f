package imagefile

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/gif"
	"image/jpeg"
	"image/png"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/image/bmp"

	"github.com/tegaki/tegaki/nn/digit"
)

// seven returns the test picture of a 7, drawn in Paint: 280×280, black on
// white.
func seven(t testing.TB) image.Image {
	t.Helper()
	f, err := os.Open("../testdata/seven.png")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// encode writes img as an image file of the given format.
func encode(t testing.TB, format string, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	var err error
	switch format {
	case "png":
		err = png.Encode(&buf, img)
	case "jpeg":
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: 90})
	case "gif":
		err = gif.Encode(&buf, img, nil)
	case "bmp":
		err = bmp.Encode(&buf, img)
	default:
		t.Fatalf("unknown format %q", format)
	}
	if err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// diff is the mean absolute difference between two inputs.
func diff(a, b *digit.Input) float64 {
	var s float64
	for i := range a {
		s += float64(max(a[i]-b[i], b[i]-a[i]))
	}
	return s / float64(len(a))
}

// pngHeader returns the start of a PNG file: the signature and an IHDR
// chunk for a w×h 8-bit grey image, and no pixels.
func pngHeader(w, h uint32) []byte {
	b := []byte("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32([]byte("IHDR"), w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 0, 0, 0, 0) // depth 8, grey, deflate, no filter, no interlace
	b = binary.BigEndian.AppendUint32(b, 13)
	b = append(b, ihdr...)
	return binary.BigEndian.AppendUint32(b, crc32.ChecksumIEEE(ihdr))
}

// gifHeader returns the start of a GIF file with a w×h logical screen and
// a w×h image descriptor, and no pixels.
func gifHeader(w, h uint16) []byte {
	b := []byte("GIF89a")
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	b = append(b, 0x80, 0, 0)             // global colour table of 2 entries
	b = append(b, 0, 0, 0, 255, 255, 255) // black, white
	b = append(b, ',', 0, 0, 0, 0)        // image descriptor at (0, 0)
	b = binary.LittleEndian.AppendUint16(b, w)
	b = binary.LittleEndian.AppendUint16(b, h)
	return append(b, 0)
}

// bmpHeader returns the headers of a w×h 24-bit BMP file, and no pixels.
func bmpHeader(w, h int32) []byte {
	b := []byte("BM")
	b = binary.LittleEndian.AppendUint32(b, 0) // file size: unchecked
	b = binary.LittleEndian.AppendUint32(b, 0)
	b = binary.LittleEndian.AppendUint32(b, 14+40)
	b = binary.LittleEndian.AppendUint32(b, 40)
	b = binary.LittleEndian.AppendUint32(b, uint32(w))
	b = binary.LittleEndian.AppendUint32(b, uint32(h))
	b = binary.LittleEndian.AppendUint16(b, 1)  // planes
	b = binary.LittleEndian.AppendUint16(b, 24) // bits per pixel
	return append(b, make([]byte, 24)...)
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	return n, err
}

// Images over the limits are refused from their header, before any pixel
// is decoded: the files here have no pixels, so decoding them would fail
// with a different error.
func TestDecodeTooLarge(t *testing.T) {
	for _, tt := range []struct {
		name string
		file []byte
	}{
		{"PNG 9000×10", pngHeader(9000, 10)},
		{"PNG 10×9000", pngHeader(10, 9000)},
		{"PNG 8000×8000", pngHeader(8000, 8000)},
		{"PNG 9000×9000", pngHeader(9000, 9000)},
		{"GIF 60000×2", gifHeader(60000, 2)},
		{"GIF 7000×7000", gifHeader(7000, 7000)},
		{"BMP 9000×10", bmpHeader(9000, 10)},
		{"BMP 8000×-8000", bmpHeader(8000, -8000)}, // top-down
		{"PNG 8192×5121", pngHeader(8192, 5121)},   // one row over MaxPixels
	} {
		t.Run(tt.name, func(t *testing.T) {
			r := &countingReader{r: bytes.NewReader(tt.file)}
			_, err := Input(r, 0)
			if !errors.Is(err, digit.ErrTooLarge) {
				t.Fatalf("Input = %v, want an error wrapping ErrTooLarge", err)
			}
			t.Logf("%v (read %d bytes)", err, r.n)
		})
	}
}

// Images just within the limits are decoded.
func TestDecodeLimits(t *testing.T) {
	if testing.Short() {
		t.Skip("decodes a 40-megapixel image")
	}
	m := image.NewGray(image.Rect(0, 0, digit.MaxSide, digit.MaxPixels/digit.MaxSide))
	b := encode(t, "png", m)
	img, err := Decode(bytes.NewReader(b), 0)
	if err != nil {
		t.Fatalf("Decode of a %v image: %v", m.Rect.Size(), err)
	}
	if img.Bounds() != m.Rect {
		t.Errorf("Decode: bounds %v, want %v", img.Bounds(), m.Rect)
	}
	if _, err := digit.FromImage(img); !errors.Is(err, digit.ErrNoInk) {
		t.Errorf("FromImage(black %v) = %v, want ErrNoInk", m.Rect.Size(), err)
	}
}

// Damaged and foreign files are errors, never panics.
func TestDecodeCorrupt(t *testing.T) {
	good := map[string][]byte{}
	img := seven(t)
	for _, f := range []string{"png", "jpeg", "gif", "bmp"} {
		good[f] = encode(t, f, img)
	}
	var cases []struct {
		name string
		file []byte
	}
	add := func(name string, b []byte) {
		cases = append(cases, struct {
			name string
			file []byte
		}{name, b})
	}
	add("empty", nil)
	add("text", []byte("this is not an image\n"))
	add("PNG signature only", []byte("\x89PNG\r\n\x1a\n"))
	add("PNG header, no pixels", pngHeader(64, 64))
	add("PNG header, zero size", pngHeader(0, 0))
	add("GIF header, no pixels", gifHeader(64, 64))
	add("BMP header, no pixels", bmpHeader(64, 64))
	add("BMP header, zero size", bmpHeader(0, 0))
	rng := rand.New(rand.NewPCG(3, 4))
	for f, b := range good {
		add(f+" truncated", b[:len(b)/2])
		add(f+" header only", b[:min(len(b), 40)])
		for i := range 5 {
			c := bytes.Clone(b)
			for range 1 + i*3 {
				c[rng.IntN(len(c))] ^= byte(1 + rng.IntN(255))
			}
			add(f+" flipped", c)
		}
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			in, err := Input(bytes.NewReader(tt.file), 0)
			if err == nil && in == nil {
				t.Fatal("Input returned neither an input nor an error")
			}
		})
	}
	// The damage above must not be silently accepted where it is fatal.
	for _, name := range []string{"empty", "text", "PNG header, no pixels", "png truncated"} {
		for _, tt := range cases {
			if tt.name == name {
				if _, err := Input(bytes.NewReader(tt.file), 0); err == nil {
					t.Errorf("%s: Input succeeded", name)
				}
			}
		}
	}
}

func TestDecodeFormats(t *testing.T) {
	img := seven(t)
	want, err := digit.FromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{"png", "jpeg", "gif", "bmp"} {
		t.Run(f, func(t *testing.T) {
			got, err := Input(bytes.NewReader(encode(t, f, img)), 0)
			if err != nil {
				t.Fatal(err)
			}
			if d := diff(want, got); d > 0.05 {
				t.Errorf("differs from the original by %.4f, want under 0.05", d)
			}
		})
	}
}

// FuzzInput feeds arbitrary bytes to the entry point for files. The seeds
// in testdata/fuzz/FuzzInput are small PNG, GIF, BMP, JPEG and WebP files
// of digits, a truncated PNG and a PNG header that claims to be huge.
// Whatever the bytes, Input must return an input with every value in
// [0, 1], or an error; never panic, never hang, never allocate more than
// the size limits allow.
func FuzzInput(f *testing.F) {
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := Input(bytes.NewReader(b), 0)
		if err != nil {
			if in != nil {
				t.Fatalf("Input returned an input with error %v", err)
			}
			return
		}
		for i, v := range in {
			if !(v >= 0 && v <= 1) {
				t.Fatalf("value %d is %v, outside [0, 1]", i, v)
			}
		}
		// What was read once reads the same again.
		again, err := Input(bytes.NewReader(b), 0)
		if err != nil || *again != *in {
			t.Fatalf("second read differs (error %v)", err)
		}
	})
}

// The caller's pixel limit is checked from the header, as the package's
// own limits are; 0 means digit.MaxPixels.
func TestDecodePixelLimit(t *testing.T) {
	for _, tt := range []struct {
		name      string
		w, h      int
		maxPixels int64
		tooLarge  bool
	}{
		{"at the limit", 100, 100, 100 * 100, false},
		{"one row over", 100, 101, 100 * 100, true},
		{"no limit given", 9000, 10, 0, true}, // over digit.MaxSide still
		{"limit over the package's", 8192, 5121, 1 << 40, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			file := pngHeader(uint32(tt.w), uint32(tt.h))
			if !tt.tooLarge {
				file = encode(t, "png", image.NewGray(image.Rect(0, 0, tt.w, tt.h)))
			}
			_, err := Decode(bytes.NewReader(file), tt.maxPixels)
			if got := errors.Is(err, digit.ErrTooLarge); got != tt.tooLarge {
				t.Errorf("Decode(%d×%d, %d) = %v; too large %v, want %v", tt.w, tt.h, tt.maxPixels, err, got, tt.tooLarge)
			}
			if !tt.tooLarge && err != nil {
				t.Errorf("Decode(%d×%d, %d) = %v, want no error", tt.w, tt.h, tt.maxPixels, err)
			}
		})
	}
}

// What is not an image says what it is instead.
func TestDecodeNotAnImage(t *testing.T) {
	dir, err := os.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dir.Close()
	for _, tt := range []struct {
		name string
		r    io.Reader
		want error
	}{
		{"empty", bytes.NewReader(nil), ErrEmpty},
		{"a directory", dir, syscall.EISDIR},
		{"text", strings.NewReader("this is not an image\n"), ErrFormat},
		{"1 KiB of zeros", bytes.NewReader(make([]byte, 1024)), ErrFormat},
	} {
		_, err := Decode(tt.r, 0)
		if !errors.Is(err, tt.want) {
			t.Errorf("%s: Decode = %v, want an error wrapping %v", tt.name, err, tt.want)
		}
	}
}
