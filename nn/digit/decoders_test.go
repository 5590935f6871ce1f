package digit

import (
	"image"
	_ "image/gif" // registered for image.Decode, in tests only
	_ "image/jpeg"
	_ "image/png"
	"io"

	_ "golang.org/x/image/bmp"
)

// Package imagefile reads files for real; it imports this package, so
// these tests cannot use it and decode with the standard registry instead.

// decodeFile decodes an image file.
func decodeFile(r io.Reader) (image.Image, error) {
	img, _, err := image.Decode(r)
	return img, err
}

// fromFile decodes an image file and prepares it with FromImage.
func fromFile(r io.Reader) (*Input, error) {
	img, err := decodeFile(r)
	if err != nil {
		return nil, err
	}
	return FromImage(img)
}
