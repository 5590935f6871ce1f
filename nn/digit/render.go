package digit

import "image"

// Image renders the input as a Size×Size grey image as MNIST shows its
// digits: ink white on a black background (a value v becomes the grey
// level v·255, rounded, with values outside [0, 1] clamped).
func (in *Input) Image() *image.Gray {
	m := image.NewGray(image.Rect(0, 0, Size, Size))
	for i, v := range in {
		switch {
		case !(v > 0): // also NaN
			m.Pix[i] = 0
		case v >= 1:
			m.Pix[i] = 255
		default:
			m.Pix[i] = uint8(float32(v*255) + 0.5)
		}
	}
	return m
}
