// Package datasets loads the course's image sets as patterns ready for the models of
// hopfieldlib, and draws cartoon faces.
//
// Every loader returns a [Set]: K images of Height×Width pixels as a K×N [hopfieldlib.Patterns]
// of intensities in [0, 1] (0 black, 1 white), with labels and class names. [Set.Spins] gives the
// ±1 patterns of the classical and dense networks (+1 above 0.5), [Set.SpinsAdaptive] binarizes
// each image by its contrast with its background (better for the coloured sprites and faces);
// Images (or [Set.Raw]) are the raw values the continuous network stores; [Set.Resize] makes the
// images smaller.
//
//   - [MNIST](n): the first n of 10,000 handwritten digits, 28×28, white ink on black, in
//     round-robin order by class so that the first n are class-balanced for n ≤ 8,630
//     (LeCun et al., "Gradient-based learning applied to document recognition", 1998).
//   - [Sprites](): 32 animal faces of Noto Emoji, 64×64, drawn on white: alike enough to defeat
//     the classical network.
//   - [Faces](): the Noto Emoji person heads, 28 heads in 6 skin tones, 32×32, drawn on white.
//   - [CartoonFaces](n, seed): n distinct cartoon faces of 32×32 drawn in Go from parameters
//     ([Face]: head, hair, eyes, eyebrows, nose, mouth), the same for the same seed.
//
// The files live in the repository's data/ folder, each with a README that gives provenance,
// license and checksums; [Dir] finds that folder from $HOPFIELD_DATA ([EnvDataDir]), the
// working directory or the source tree. The readers behind the loaders ([ReadIDX], [ReadMNIST],
// [ReadGray], [ReadIndex]) take an io.Reader and reject malformed input with an error wrapping
// [ErrData]; a missing folder or file wraps [ErrNotFound]; a bad argument wraps
// [hopfieldlib.ErrParameter]. The package prints nothing.
package datasets
