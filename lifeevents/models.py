"""Life events and the knowledge base that answers their common questions.

Case types are a layer higher (casemanagement) and declare their own relation to life events and
articles; nothing here refers to them.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contactcentre.registry.models import Organisation

SHORT_ANSWER_MAX = 160


class LifeEvent(models.Model):
    slug = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    description = models.TextField(_("omschrijving"), blank=True)
    ordering = models.PositiveIntegerField(_("volgorde"), default=0)
    organisations = models.ManyToManyField(
        Organisation, related_name="life_events", blank=True, verbose_name=_("betrokken organisaties")
    )
    # Attribute codes of the registry's base data (e.g. "correspondence_address", "iban"); a plain list
    # because the registry's rules table is owned by the registry app.
    base_data_attributes = models.JSONField(_("basisgegevens"), default=list, blank=True)

    class Meta:
        ordering = ["ordering", "name"]
        verbose_name = _("levensgebeurtenis")
        verbose_name_plural = _("levensgebeurtenissen")

    def __str__(self) -> str:
        return self.name


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Concept")
        PUBLISHED = "published", _("Gepubliceerd")

    external_id = models.SlugField(_("kenmerk"), max_length=32, unique=True, help_text=_("bijv. kb-0001"))
    question = models.CharField(_("vraag"), max_length=300)
    answer = models.TextField(_("antwoord"))
    short_answer = models.CharField(
        _("kort antwoord"), max_length=SHORT_ANSWER_MAX, help_text=_("Voor sms en spraak, hoogstens 160 tekens.")
    )
    life_events = models.ManyToManyField(
        LifeEvent, related_name="articles", blank=True, verbose_name=_("levensgebeurtenissen")
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="articles", verbose_name=_("eigenaar")
    )
    keywords = models.JSONField(_("trefwoorden"), default=list, blank=True)
    synonyms = models.JSONField(
        _("synoniemen"), default=list, blank=True, help_text=_("Woorden die burgers gebruiken voor dit onderwerp.")
    )
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    review_by = models.DateField(_("herzien vóór"), null=True, blank=True)
    version = models.PositiveIntegerField(_("versie"), default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Analysed terms per field, written by the search indexer (lifeevents.search.index); on PostgreSQL a
    # stored generated tsvector column with a GIN index is built from them (see migration 0002).
    search_a = models.TextField(editable=False, blank=True, default="")
    search_b = models.TextField(editable=False, blank=True, default="")
    search_c = models.TextField(editable=False, blank=True, default="")

    class Meta:
        ordering = ["external_id"]
        verbose_name = _("kennisartikel")
        verbose_name_plural = _("kennisartikelen")
        indexes = [models.Index(fields=["status", "organisation"])]

    def __str__(self) -> str:
        return f"{self.external_id}: {self.question}"

    @property
    def is_overdue(self) -> bool:
        return self.review_by is not None and self.review_by < timezone.localdate()


class ArticleVersion(models.Model):
    """A snapshot of an article's content, written whenever the content changes."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField(_("versie"))
    question = models.CharField(_("vraag"), max_length=300)
    answer = models.TextField(_("antwoord"))
    short_answer = models.CharField(_("kort antwoord"), max_length=SHORT_ANSWER_MAX)
    keywords = models.JSONField(_("trefwoorden"), default=list)
    synonyms = models.JSONField(_("synoniemen"), default=list)
    status = models.CharField(_("status"), max_length=16, choices=Article.Status.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["article", "-version"]
        verbose_name = _("artikelversie")
        verbose_name_plural = _("artikelversies")
        constraints = [models.UniqueConstraint(fields=["article", "version"], name="article_version_unique")]

    def __str__(self) -> str:
        return f"{self.article.external_id} v{self.version}"


class ArticleFeedback(models.Model):
    """Was an answer helpful? Anonymous by design: no person, no contact details."""

    class Channel(models.TextChoices):
        WEB = "web", _("Website/portaal")
        PHONE = "phone", _("Telefoon")
        SMS = "sms", _("Sms")
        EMAIL = "email", _("E-mail")
        COUNTER = "counter", _("Balie")
        CHAT = "chat", _("Chat")
        CONSOLE = "console", _("Klantcontactmedewerker")

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="feedback")
    helpful = models.BooleanField(_("behulpzaam"))
    comment = models.TextField(_("opmerking"), blank=True, max_length=1000)
    channel = models.CharField(_("kanaal"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("artikelfeedback")
        verbose_name_plural = _("artikelfeedback")

    def __str__(self) -> str:
        return f"{self.article.external_id}: {'+' if self.helpful else '-'}"


class PageFeedback(models.Model):
    """Did a page of the public site or the portal help? Anonymous by design: the page's path (never
    its query, which may hold what someone searched for), the answer, a comment with personal data
    removed and the day; no session, person, address or time of day that could be matched to a visit."""

    PATH_MAX = 200
    COMMENT_MAX = 500

    path = models.CharField(_("pagina"), max_length=PATH_MAX)
    helpful = models.BooleanField(_("behulpzaam"))
    comment = models.TextField(_("opmerking"), blank=True, max_length=COMMENT_MAX)
    created_on = models.DateField(_("datum"), auto_now_add=True)

    class Meta:
        ordering = ["-created_on", "-id"]
        verbose_name = _("paginafeedback")
        verbose_name_plural = _("paginafeedback")
        indexes = [models.Index(fields=["path", "created_on"], name="pagefeedback_path_idx")]

    def __str__(self) -> str:
        return f"{self.path}: {'+' if self.helpful else '-'}"
