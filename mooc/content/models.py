from __future__ import annotations

from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mooc.content.embeds import video_embed_url
from mooc.core.sanitize import RichTextField


class News(models.Model):
    title = models.CharField(_("title"), max_length=200)
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    summary = models.TextField(
        _("summary"), max_length=400, help_text=_("Shown on the news cards and in search engines.")
    )
    body = RichTextField(_("body"), editor="public")
    image = models.ImageField(_("image"), upload_to="news/", blank=True)
    image_alt = models.CharField(
        _("image description"),
        max_length=200,
        blank=True,
        help_text=_("What the image shows, for readers who cannot see it."),
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(
        _("publication time"),
        default=timezone.now,
        help_text=_("A time in the future keeps the article hidden until then."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("news article")
        verbose_name_plural = _("news")
        ordering = ["-published_at", "-id"]
        indexes = [models.Index(fields=["is_published", "-published_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("content:news_detail", kwargs={"slug": self.slug})


class FAQCategory(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("FAQ category")
        verbose_name_plural = _("FAQ categories")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


class FAQ(models.Model):
    category = models.ForeignKey(
        FAQCategory, verbose_name=_("category"), on_delete=models.CASCADE, related_name="faqs"
    )
    question = models.CharField(_("question"), max_length=300)
    answer = RichTextField(_("answer"), editor="public")
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQs")
        ordering = ["order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["category", "question"], name="faq_unique_question"),
        ]

    def __str__(self) -> str:
        return self.question


class VideoTutorial(models.Model):
    title = models.CharField(_("title"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True)
    video_url = models.URLField(
        _("video URL"),
        help_text=_(
            "YouTube and Vimeo links play on the page; other links open the video in a new tab."
        ),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    is_published = models.BooleanField(_("published"), default=True)

    class Meta:
        verbose_name = _("video tutorial")
        verbose_name_plural = _("video tutorials")
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.title

    @property
    def embed_url(self) -> str | None:
        return video_embed_url(self.video_url)
