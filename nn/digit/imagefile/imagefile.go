// Package imagefile reads image files (PNG, JPEG, GIF, BMP, WebP) as
// package digit's inputs, refusing oversized images before it decodes them.
//
// It is apart from package digit so that a program that never reads files,
// such as the browser app, which gets strokes and pixels, does not carry the
// image decoders: each one adds to the size of a WebAssembly binary.
package imagefile

import (
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

// Decode decodes a PNG, JPEG, GIF, BMP or WebP image. It reads the header
// first and returns an error wrapping digit.ErrTooLarge, without decoding
// any pixels, if the image is over digit.MaxSide or digit.MaxPixels.
func Decode(r io.Reader) (image.Image, error) {
	// DecodeConfig reads ahead; what it read is replayed to Decode.
	var head bytes.Buffer
	cfg, format, err := image.DecodeConfig(io.TeeReader(r, &head))
	if errors.Is(err, image.ErrFormat) {
		return nil, fmt.Errorf("imagefile: not a PNG, JPEG, GIF, BMP or WebP file: %w", err)
	}
	if err != nil {
		return nil, fmt.Errorf("imagefile: decode: %w", err)
	}
	if err := digit.CheckSize(int64(cfg.Width), int64(cfg.Height)); err != nil {
		return nil, fmt.Errorf("imagefile: decode %s: %w", format, err)
	}
	img, _, err := image.Decode(io.MultiReader(&head, r))
	if err != nil {
		return nil, fmt.Errorf("imagefile: decode %s: %w", format, err)
	}
	return img, nil
}

// Input decodes an image file with Decode and prepares it with
// digit.FromImage. Errors wrap digit.ErrTooLarge or digit.ErrNoInk where
// they apply.
func Input(r io.Reader) (*digit.Input, error) {
	img, err := Decode(r)
	if err != nil {
		return nil, err
	}
	return digit.FromImage(img)
}
