"""Images: CPU time to check, store (deduplicated) and serve a 5 MB PNG; bytes stored and sent.

Runs against a throwaway database on the configured PostgreSQL (DATABASE_URL). CPU time
(`time.process_time`) of this process, medians of several runs, with the load average beside
them: wall time is noise on a shared machine. The figures are ADR 0012's.

    .venv/bin/python bench/image_bench.py
"""

import hashlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
import django_setup  # noqa: F401  (configures Django before the imports below)
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import setup_test_environment
from PIL import Image

RUNS = 7


def main() -> None:
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    png = noise_png(1300, 1300)
    print(f"test image: 1300 x 1300 RGB noise PNG, {len(png):,} bytes")
    checking(png)
    setup_test_environment()
    settings.ALLOWED_HOSTS = ["testserver"]
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        storing_and_serving(png)
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")


def noise_png(width: int, height: int) -> bytes:
    # Random pixels do not compress: the PNG is as large as its pixels, the worst case per byte.
    image = Image.frombytes("RGB", (width, height), os.urandom(width * height * 3))
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=1)
    return buffer.getvalue()


def cpu_ms(work, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        started = time.process_time()
        work()
        samples.append((time.process_time() - started) * 1000)
    return statistics.median(samples)


def checking(png: bytes) -> None:
    from specs.images.validation import check_image

    def full_decode() -> None:
        with Image.open(io.BytesIO(png)) as image:
            image.load()

    print(f"sha256 alone            {cpu_ms(lambda: hashlib.sha256(png).digest()):8.1f} ms CPU")
    print(f"check_image (verify)    {cpu_ms(lambda: check_image('a.png', png)):8.1f} ms CPU")
    print(f"full decode (load)      {cpu_ms(full_decode):8.1f} ms CPU  (not done: verify suffices)")


def storing_and_serving(png: bytes) -> None:
    from django.contrib.auth import get_user_model

    from specs import actions
    from specs.images.store import UploadedImage
    from specs.images.validation import check_image
    from specs.models import Profile, VersionAttachment

    author = get_user_model().objects.create_user("bench", password="bench-password-123")
    profile = Profile.objects.get(name="generic")
    image = UploadedImage("shot.png", check_image("shot.png", png))
    timings = []
    for index in range(3):
        spec = actions.create_spec(
            title=f"Bench {index}", slug=f"bench-{index}", profile=profile, author=author
        )
        started = time.process_time()
        actions.upload_version(
            spec=spec, data=b"# T\n\n![Shot](shot.png)\n", uploaded_by=author, images=[image]
        )
        timings.append((time.process_time() - started) * 1000)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), pg_total_relation_size('specs_imageblob') FROM specs_imageblob"
        )
        blobs, stored = cursor.fetchone()
    print(
        f"upload_version + image  first {timings[0]:.1f} ms CPU, same image again "
        f"{statistics.median(timings[1:]):.1f} ms CPU (analysis included)"
    )
    print(f"stored: {blobs} blob for 3 versions, table size {stored:,} bytes (TOAST included)")

    client = Client()
    client.force_login(author)
    attachment = VersionAttachment.objects.select_related("blob", "version__spec").earliest("pk")
    url = attachment.url
    response = client.get(url)
    print(
        f"serve                   {cpu_ms(lambda: client.get(url)):8.1f} ms CPU, "
        f"{len(response.content):,} bytes, {response['Content-Type']}"
    )
    etag = response["ETag"]
    revalidated = client.get(url, HTTP_IF_NONE_MATCH=etag)
    print(
        f"revalidate (304)        {cpu_ms(lambda: client.get(url, HTTP_IF_NONE_MATCH=etag)):8.1f}"
        f" ms CPU, {len(revalidated.content)} bytes"
    )


if __name__ == "__main__":
    main()
