"""Scanned copies of the real PDF fixtures: each page rendered, turned slightly, speckled, saved image-only.

They look like a page put through an office scanner: 150 dpi grayscale, a
skew of 0.5–1°, sensor noise and dust, and no text layer at all, so the
reader has to OCR them. Deterministic (fixed seeds), so a test sees the same
copy every time.
"""

from __future__ import annotations

import io

import numpy as np
import pypdfium2 as pdfium
from PIL import Image

SCAN_DPI = 150


def scanned_copy(pdf: bytes, pages: list[int] | None = None, seed: int = 13) -> bytes:
    """An image-only PDF of the given 1-based pages (all by default), each page a degraded scan."""
    document = pdfium.PdfDocument(pdf)
    numbers = pages or list(range(1, len(document) + 1))
    rng = np.random.default_rng(seed)
    images = [_degrade(document[n - 1].render(scale=SCAN_DPI / 72, grayscale=True).to_pil().convert("L"), rng)
              for n in numbers]
    out = io.BytesIO()
    images[0].save(out, format="PDF", save_all=True, append_images=images[1:], resolution=SCAN_DPI)
    return out.getvalue()


def _degrade(page: Image.Image, rng: np.random.Generator) -> Image.Image:
    angle = float(rng.uniform(0.5, 1.0) * rng.choice([-1, 1]))
    turned = page.rotate(angle, resample=Image.Resampling.BICUBIC, expand=False, fillcolor=255)
    pixels = np.asarray(turned, dtype=np.float32)
    pixels = pixels * 0.92 + 12 + rng.normal(0, 10, pixels.shape)  # grey paper, sensor noise
    dust = rng.random(pixels.shape) < 0.0008
    pixels[dust] = rng.uniform(0, 120, int(dust.sum()))
    return Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8), mode="L")
