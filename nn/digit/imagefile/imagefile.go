// Package imagefile reads image files (PNG, JPEG, GIF, BMP, WebP) as
// package digit's inputs, refusing oversized images before it decodes them.
//
// It is apart from package digit so that a program that never reads files,
// such as the browser app, which gets strokes and pixels, does not carry the
// image decoders: each one adds to the size of a WebAssembly binary.
package imagefile

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"image"
	_ "image/gif" // registered for image.Decode
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"
	_ "golang.org/x/image/webp"

	"github.com/tegaki/tegaki/nn/digit"
)

var (
	// ErrEmpty is wrapped by the error for an input of no bytes at all.
	ErrEmpty = errors.New("imagefile: empty file")
	// ErrFormat is wrapped by the error for an input that is not a PNG,
	// JPEG, GIF, BMP or WebP file.
	ErrFormat = errors.New("imagefile: not a PNG, JPEG, GIF, BMP or WebP file")
)

// Decode decodes a PNG, JPEG, GIF, BMP or WebP image of at most maxPixels
// pixels (digit.MaxPixels if maxPixels is 0 or more than that). It reads
// the header first and returns an error wrapping digit.ErrTooLarge,
// without decoding any pixels, if the image is over digit.MaxSide on a
// side or maxPixels in all. Its other errors wrap ErrEmpty, ErrFormat, the
// error of reading r (such as syscall.EISDIR for a directory), or the
// decoder's error for a damaged file.
func Decode(r io.Reader, maxPixels int64) (image.Image, error) {
	if maxPixels <= 0 || maxPixels > digit.MaxPixels {
		maxPixels = digit.MaxPixels
	}
	// image.DecodeConfig reports a failed read as an unknown format: read
	// the first byte here, so that an empty file or a directory says so.
	br := bufio.NewReader(r)
	if _, err := br.Peek(1); err == io.EOF {
		return nil, ErrEmpty
	} else if err != nil {
		return nil, fmt.Errorf("imagefile: %w", err)
	}
	// DecodeConfig reads ahead; what it read is replayed to Decode.
	var head bytes.Buffer
	cfg, format, err := image.DecodeConfig(io.TeeReader(br, &head))
	if errors.Is(err, image.ErrFormat) {
		return nil, fmt.Errorf("%w: %w", ErrFormat, err)
	}
	if err != nil {
		return nil, fmt.Errorf("imagefile: decode: %w", err)
	}
	w, h := int64(cfg.Width), int64(cfg.Height)
	if err := digit.CheckSize(w, h); err != nil {
		return nil, fmt.Errorf("imagefile: decode %s: %w", format, err)
	}
	if w*h > maxPixels {
		return nil, fmt.Errorf("imagefile: decode %s: %w: %d×%d pixels, over the limit of %d", format, digit.ErrTooLarge, w, h, maxPixels)
	}
	img, _, err := image.Decode(io.MultiReader(&head, br))
	if err != nil {
		return nil, fmt.Errorf("imagefile: decode %s: %w", format, err)
	}
	return img, nil
}

// Input decodes an image file of at most maxPixels pixels with Decode and
// prepares it with digit.FromImage: the preparation of a file, which
// keeps no state and is safe for concurrent use. Errors are Decode's, or
// wrap digit.ErrNoInk when the picture holds no digit.
func Input(r io.Reader, maxPixels int64) (*digit.Input, error) {
	img, err := Decode(r, maxPixels)
	if err != nil {
		return nil, err
	}
	return digit.FromImage(img)
}
