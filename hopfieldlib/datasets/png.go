package datasets

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"io"
)

// Bounds on what [ReadGray] accepts, so a corrupt or hostile file cannot exhaust memory.
const (
	maxPNGBytes = 16 << 20
	maxPNGSide  = 4096
)

// ReadGray decodes a PNG from r as an 8-bit grayscale image. Colour images are composited on a
// white background and converted with [GrayOnWhite]. An unreadable PNG, one larger than 16 MiB or
// with a side above 4,096 pixels, is an error wrapping [ErrData].
func ReadGray(r io.Reader) (*image.Gray, error) {
	buf, err := io.ReadAll(io.LimitReader(r, maxPNGBytes+1))
	if err != nil {
		return nil, fmt.Errorf("%w: PNG: %v", ErrData, ioErr(err))
	}
	if len(buf) > maxPNGBytes {
		return nil, fmt.Errorf("%w: PNG larger than %d bytes", ErrData, maxPNGBytes)
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(buf))
	if err != nil {
		return nil, fmt.Errorf("%w: PNG header: %v", ErrData, err)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > maxPNGSide || cfg.Height > maxPNGSide {
		return nil, fmt.Errorf("%w: PNG of %d×%d pixels: want sides in [1, %d]", ErrData, cfg.Width, cfg.Height, maxPNGSide)
	}
	img, err := png.Decode(bytes.NewReader(buf))
	if err != nil {
		return nil, fmt.Errorf("%w: PNG: %v", ErrData, err)
	}
	return GrayOnWhite(img), nil
}

// GrayOnWhite composites img on a white background and converts it to 8-bit gray with the
// ITU-R BT.601 luma weights used by image/color's GrayModel:
// Y = (0.299 R + 0.587 G + 0.114 B) of the composite C + (1 - α)·white. Transparent pixels
// become white, opaque ones keep their luma. The result starts at (0, 0).
func GrayOnWhite(img image.Image) *image.Gray {
	b := img.Bounds()
	out := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	if g, ok := img.(*image.Gray); ok {
		for y := range b.Dy() {
			copy(out.Pix[y*out.Stride:y*out.Stride+b.Dx()], g.Pix[g.PixOffset(b.Min.X, b.Min.Y+y):])
		}
		return out
	}
	for y := range b.Dy() {
		for x := range b.Dx() {
			r, g, bl, a := img.At(b.Min.X+x, b.Min.Y+y).RGBA() // alpha-premultiplied, 16 bits
			r, g, bl = r+0xffff-a, g+0xffff-a, bl+0xffff-a
			out.Pix[y*out.Stride+x] = uint8((19595*r + 38470*g + 7471*bl + 1<<15) >> 24)
		}
	}
	return out
}
