// Package number reads whole handwritten numbers, up to MaxDigits digits
// written left to right, from a drawing's strokes or from a picture, with
// the network and the preparation of a single digit (packages pretrained
// and digit) for each digit.
//
// A number is first over-segmented into atoms that surely belong to one
// digit each, then the split of the atoms into digits is chosen by dynamic
// programming over runs of consecutive atoms, so that the network itself
// decides between, say, one 0 and two 1s:
//
//   - A drawing's atoms are its strokes in the order drawn, people writing
//     a number digit by digit; a stroke drawn later inside the span of an
//     earlier digit (the bar of a 7 added at the end) joins that digit.
//   - A picture's atoms are its marks (8-connected components of its ink,
//     specks cleared, fragments such as a detached bar joined to the mark
//     below them), and a mark wider than a digit is cut into pieces along
//     the paths of least ink from top to bottom that start at the minima
//     of its column profile, where touching digits meet.
//
// Every run of up to a few atoms that could be a digit (not much wider
// than tall, no wide gap inside) is prepared as a digit of its own and the
// candidates are classified in one batch. A split scores the sum, over its
// digits, of the log of the network's top probability, a bonus per digit,
// and penalties for gaps inside a digit, for overlap between neighbours,
// for a cut through a mark, and for a digit much wider than MNIST's
// writers make it (shapeCost); the weights were chosen on numbers
// composed of MNIST validation digits (package compose), never test
// digits.
//
// A Reader keeps its candidates, keyed by their strokes, so that reading a
// drawing again after one more stroke classifies only the candidates that
// stroke makes.
//
// What it does not do: it reads digits only (points and commas are
// dropped, a minus sign is not read), on one line, left to right; a digit
// of a drawing split across strokes drawn far apart in time, other than a
// stroke inside an earlier digit, is read as two; and digits of a picture
// that overlap without touching are read only where their marks can be
// told apart by columns.
package number
