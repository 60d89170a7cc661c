from __future__ import annotations

from django.contrib import admin
from django.db import models

from mooc.content.models import FAQ, FAQCategory, News, VideoTutorial
from mooc.core.images import PixelLimitedImageField


@admin.register(News)
class NewsAdmin(admin.ModelAdmin[News]):
    # Stored as uploaded and decoded later: the pixel limit is checked first (issue 14, F3).
    formfield_overrides = {models.ImageField: {"form_class": PixelLimitedImageField}}
    list_display = ["title", "published_at", "is_published", "updated_at"]
    list_filter = ["is_published", "published_at"]
    list_editable = ["is_published"]
    search_fields = ["title", "summary", "body"]
    date_hierarchy = "published_at"
    prepopulated_fields = {"slug": ["title"]}
    fields = [
        "title",
        "slug",
        "summary",
        "body",
        "image",
        "image_alt",
        "is_published",
        "published_at",
    ]


class FAQInline(admin.StackedInline[FAQ, FAQCategory]):
    model = FAQ
    extra = 0
    fields = ["question", "answer", "order", "is_published"]


@admin.register(FAQCategory)
class FAQCategoryAdmin(admin.ModelAdmin[FAQCategory]):
    list_display = ["name", "order"]
    list_editable = ["order"]
    search_fields = ["name"]
    inlines = [FAQInline]


@admin.register(FAQ)
class FAQAdmin(admin.ModelAdmin[FAQ]):
    list_display = ["question", "category", "order", "is_published"]
    list_filter = ["is_published", "category"]
    list_editable = ["order", "is_published"]
    list_select_related = ["category"]
    search_fields = ["question", "answer"]
    autocomplete_fields = ["category"]


@admin.register(VideoTutorial)
class VideoTutorialAdmin(admin.ModelAdmin[VideoTutorial]):
    list_display = ["title", "video_url", "order", "is_published"]
    list_filter = ["is_published"]
    list_editable = ["order", "is_published"]
    search_fields = ["title", "description"]
    # Links typed without a scheme are almost always https these days.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
