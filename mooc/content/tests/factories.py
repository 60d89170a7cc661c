from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from mooc.content.models import FAQ, FAQCategory, News, VideoTutorial


class NewsFactory(factory.django.DjangoModelFactory[News]):
    class Meta:
        model = News

    title = factory.Sequence(lambda n: f"Berita nomor {n}")
    slug = factory.Sequence(lambda n: f"berita-nomor-{n}")
    summary = "Ringkasan berita untuk kartu."
    body = "<p>Isi berita.</p>"
    is_published = True
    # Spread out so the newest-first order is unambiguous.
    published_at = factory.Sequence(lambda n: timezone.now() - dt.timedelta(hours=1000 - n))


class FAQCategoryFactory(factory.django.DjangoModelFactory[FAQCategory]):
    class Meta:
        model = FAQCategory

    name = factory.Sequence(lambda n: f"Kategori {n}")
    order = factory.Sequence(lambda n: n)


class FAQFactory(factory.django.DjangoModelFactory[FAQ]):
    class Meta:
        model = FAQ

    category = factory.SubFactory(FAQCategoryFactory)
    question = factory.Sequence(lambda n: f"Pertanyaan nomor {n}?")
    answer = "<p>Jawaban singkat.</p>"
    order = factory.Sequence(lambda n: n)
    is_published = True


class VideoTutorialFactory(factory.django.DjangoModelFactory[VideoTutorial]):
    class Meta:
        model = VideoTutorial

    title = factory.Sequence(lambda n: f"Tutorial nomor {n}")
    description = "Penjelasan singkat."
    video_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    order = factory.Sequence(lambda n: n)
    is_published = True
