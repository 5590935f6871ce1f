package augment

import "math"

// params are one draw of the affine part of the transform.
type params struct {
	scale  float64 // factor, 1 keeps the size
	shear  float64 // tangent of the slant, positive leans right
	rotate float64 // degrees, positive turns counter-clockwise as displayed
	dx, dy float64 // shift in pixels, positive moves right and down
}

// affine maps a point (x, y) of the output to the point
// (a·x + b·y + c, d·x + e·y + f) of the source.
type affine struct {
	a, b, c float64
	d, e, f float64
}

// inverse returns the map from output to source points of p applied to an
// h×w image about its centre.
//
// The forward map is q = M·(p - centre) + centre + shift with
// M = rotation · shear · scale, written for a y axis that points down:
//
//	rotation = [cos θ  sin θ]   shear = [1 -k]   scale = [s 0]
//	           [-sin θ cos θ]           [0  1]           [0 s]
//
// so the inverse is p = M⁻¹·(q - centre - shift) + centre.
func (p params) inverse(h, w int) affine {
	sin, cos := math.Sincos(p.rotate * math.Pi / 180)
	// M = rotation · shear · scale.
	m00, m01 := cos*p.scale, (sin-cos*p.shear)*p.scale
	m10, m11 := -sin*p.scale, (cos+sin*p.shear)*p.scale
	det := m00*m11 - m01*m10
	i00, i01 := m11/det, -m01/det
	i10, i11 := -m10/det, m00/det
	cx, cy := float64(w-1)/2, float64(h-1)/2
	tx, ty := cx+p.dx, cy+p.dy
	return affine{
		a: i00, b: i01, c: cx - (i00*tx + i01*ty),
		d: i10, e: i11, f: cy - (i10*tx + i11*ty),
	}
}

// applyTransform writes to dst the h×w image src sampled through m plus the
// displacement field (h, w, 2), which may be nil. Each output value is the
// bilinear interpolation of the four source pixels around its point, with
// zero for pixels outside the image.
//
// The interpolation weights are products of numbers in [0, 1] that sum to
// 1 up to float64 rounding, far below float32 precision: every output lies
// between the smallest and the largest of its four source values, and a
// point that falls exactly on a pixel centre copies that pixel exactly.
func applyTransform(dst, src []float32, h, w int, m affine, field []float64) {
	fw, fh := float64(w), float64(h)
	for y := range h {
		row := dst[y*w : (y+1)*w]
		// Source point of the pixel (0, y); each step right adds (a, d).
		bx := m.b*float64(y) + m.c
		by := m.e*float64(y) + m.f
		var disp []float64
		if field != nil {
			disp = field[2*y*w : 2*(y+1)*w]
		}
		for x := range row {
			sx := m.a*float64(x) + bx
			sy := m.d*float64(x) + by
			if disp != nil {
				sx += disp[2*x]
				sy += disp[2*x+1]
			}
			// The negated test also sends NaN to zero.
			if !(sx > -1 && sy > -1 && sx < fw && sy < fh) {
				row[x] = 0
				continue
			}
			// Floor for values above -1: truncation, then one down
			// for negative fractions.
			x0, y0 := int(sx), int(sy)
			if sx < float64(x0) {
				x0--
			}
			if sy < float64(y0) {
				y0--
			}
			tx, ty := sx-float64(x0), sy-float64(y0)
			var p00, p01, p10, p11 float64
			if x0 >= 0 && y0 >= 0 && x0 < w-1 && y0 < h-1 {
				i := y0*w + x0
				p00, p01 = float64(src[i]), float64(src[i+1])
				p10, p11 = float64(src[i+w]), float64(src[i+w+1])
			} else {
				p00 = pixel(src, h, w, x0, y0)
				p01 = pixel(src, h, w, x0+1, y0)
				p10 = pixel(src, h, w, x0, y0+1)
				p11 = pixel(src, h, w, x0+1, y0+1)
			}
			ux, uy := 1-tx, 1-ty
			row[x] = float32(uy*(ux*p00+tx*p01) + ty*(ux*p10+tx*p11))
		}
	}
}

// pixel returns src at (x, y), or 0 outside the h×w image.
func pixel(src []float32, h, w, x, y int) float64 {
	if x < 0 || y < 0 || x >= w || y >= h {
		return 0
	}
	return float64(src[y*w+x])
}
