// Package digit turns a picture of a digit (a decoded image, or the strokes
// of a pen; package imagefile reads image files) into the 28×28 input that
// a network trained on MNIST expects, made the way MNIST's own digits were
// made, and back into a picture.
//
// It uses the standard library only, and imports nothing of tegaki's, so
// that the command line, the browser app and the Worker can all prepare
// digits the same way.
//
// # The recipe
//
// MNIST's digits were "size normalized to fit in a 20x20 pixel box while
// preserving their aspect ratio", anti-aliased, and "centered in a 28x28
// image by computing the center of mass of the pixels, and translating the
// image so as to position this point at the center of the 28x28 field"
// (LeCun, Cortes and Burges, http://yann.lecun.com/exdb/mnist/). FromImage
// does the same to any picture:
//
//  1. Grey. The picture becomes 8-bit grey levels (the weights of
//     color.GrayModel). Transparent parts are composited onto a background:
//     if less than half of the picture is opaque, the opaque parts are the
//     drawing, and go onto white if they are dark and onto black if they
//     are light; otherwise the transparent parts take the colour of the
//     opaque majority.
//  2. Polarity and levels. The median grey level is the background: ink
//     covers less than half of any sensible picture of a digit. Ink lies on
//     the side, darker or lighter, that reaches further from it, measured
//     at the k-th most extreme pixel (k is an eighth of the shorter side)
//     rather than the single most extreme one, so that a few specks cannot
//     decide it. With a contrast under 38 grey levels (15%) the picture holds
//     no digit (ErrNoInk). Grey levels then map linearly onto ink from 0 to
//     1: up to a floor they are background, at the k-th extreme and beyond
//     full ink. The floor is a tenth of the contrast, or three times the
//     spread of the background (measured on the side away from the ink) if
//     that is more, which absorbs JPEG noise, paper grain and the shading
//     of a phone photo.
//  3. Crop. The ink is found on a coarse grid of at most 200 cells a side;
//     each connected group of inked cells is a mark. Marks smaller than a
//     twentieth of the largest are specks and are cleared, unless they lie
//     inside the box of the others. The bounding box of what remains is the
//     digit.
//  4. Scale. The box is scaled, keeping its aspect ratio, onto a working
//     canvas where its longer side is 80 pixels, four times MNIST's box.
//     The scaler is golang.org/x/image/draw's CatmullRom kernel, which
//     widens itself to cover every source pixel when it shrinks, so that a
//     one-pixel line in a 4000-pixel photo fades but does not vanish. The
//     ink is then scaled so that its 90th percentile becomes 1.
//  5. Stroke width. The width of the strokes, estimated as twice the inked
//     area over its perimeter, is compared with the longer side of the box.
//     Strokes much thinner than MNIST's (a one-pixel pen on a big canvas)
//     are thickened by a grey-level dilation, much bolder ones (a marker)
//     thinned by an erosion, into the range MNIST's digits have. A mark
//     less than three stroke widths across is a dot or a blot, not a digit
//     (ErrNoInk).
//  6. Box and centre. One affine transform, CatmullRom again, maps the
//     working canvas into the 28×28 field: the longer side of the box
//     becomes 20 pixels and the centre of mass lands on the middle of pixel
//     (14, 14), which is where MNIST's digits have theirs (in pixel indices
//     they lie within half a pixel of (14, 14)). MNIST shifted by whole
//     pixels; this package shifts by fractions of a pixel, so the centre of
//     mass is within 0.02 pixels of (14, 14) and a digit being drawn does
//     not jump by a pixel as it grows. Last, the ink is scaled so that its
//     fullest pixel is 1, as MNIST's is.
//
// FromStrokes rasterises pen strokes (round caps and joins, anti-aliased)
// straight onto the working canvas of step 4 and goes on from there, so a
// drawing and a picture of it give nearly the same input.
//
// # Limits and errors
//
// FromImage refuses pictures more than MaxSide pixels wide or tall or with
// more than MaxPixels pixels (ErrTooLarge). Image files are read by package
// imagefile, which reads the header first and refuses before decoding any
// pixels, so a small file that claims to be huge costs nothing; this
// package imports no image decoder, which keeps the browser app small. Errors wrap ErrNoInk
// and ErrTooLarge where those apply, for errors.Is. Nothing in this package
// panics on any input.
//
// # Reproducibility
//
// The same picture gives the same Input, bit for bit, on every platform,
// WebAssembly and amd64 among them: the arithmetic is integer
// where it can be, and otherwise IEEE arithmetic with explicit conversions
// wherever the compiler could fuse a multiply and an add (see
// "Floating-point operators" in the Go specification); golang.org/x/image's
// scalers are written the same way. A test checks a digest of the inputs
// for a set of pictures natively and under GOOS=js GOARCH=wasm.
package digit
