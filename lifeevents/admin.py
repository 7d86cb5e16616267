"""Admin for functional administrators: life events, articles (saved through the service, so versions
and the search index stay right), overdue reviews highlighted, read-only history and feedback."""

from django.contrib import admin
from django.db.models import Count
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from lifeevents import services
from lifeevents.models import Article, ArticleFeedback, ArticleVersion, LifeEvent, PageFeedback


@admin.register(LifeEvent)
class LifeEventAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "ordering", "article_count"]
    list_editable = ["ordering"]
    search_fields = ["name", "slug", "description"]
    filter_horizontal = ["organisations"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(num_articles=Count("articles"))

    @admin.display(description=_("artikelen"), ordering="num_articles")
    def article_count(self, obj):
        return obj.num_articles


class OverdueFilter(admin.SimpleListFilter):
    title = _("herziening")
    parameter_name = "review"

    def lookups(self, request, model_admin):
        return [
            ("overdue", _("Te laat (herzien vóór verstreken)")),
            ("due30", _("Binnen 30 dagen")),
            ("none", _("Geen datum")),
        ]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "overdue":
            return queryset.filter(review_by__lt=today)
        if self.value() == "due30":
            return queryset.filter(review_by__gte=today, review_by__lte=today + timezone.timedelta(days=30))
        if self.value() == "none":
            return queryset.filter(review_by__isnull=True)
        return queryset


class ArticleVersionInline(admin.TabularInline):
    model = ArticleVersion
    fields = ["version", "status", "question", "short_answer", "changed_by", "created_at"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Article)
class ArticleAdmin(admin.ModelAdmin):
    list_display = ["external_id", "question", "organisation", "status", "version", "review_by_display"]
    list_filter = [OverdueFilter, "status", "organisation", "life_events"]
    search_fields = ["external_id", "question", "short_answer"]
    filter_horizontal = ["life_events"]
    readonly_fields = ["version", "created_at", "updated_at"]
    list_select_related = ["organisation"]
    inlines = [ArticleVersionInline]
    fieldsets = [
        (None, {"fields": ["external_id", "status", "organisation", "life_events", "review_by"]}),
        (_("Inhoud"), {"fields": ["question", "short_answer", "answer", "keywords", "synonyms"]}),
        (_("Geschiedenis"), {"fields": ["version", "created_at", "updated_at"]}),
    ]

    @admin.display(description=_("herzien vóór"), ordering="review_by")
    def review_by_display(self, obj):
        if obj.review_by is None:
            return "-"
        if obj.is_overdue:
            return format_html('<strong style="color:#ba2121">{} ({})</strong>', obj.review_by, _("te laat"))
        return obj.review_by

    def save_model(self, request, obj, form, change):
        # Through the service: a version only when the content changed, and the search index updated.
        data = form.cleaned_data
        article, _changed = services.article_save(
            external_id=obj.external_id,
            question=data["question"],
            answer=data["answer"],
            short_answer=data["short_answer"],
            organisation=data["organisation"],
            keywords=data.get("keywords") or [],
            synonyms=data.get("synonyms") or [],
            status=data["status"],
            review_by=data.get("review_by"),
            changed_by=request.user,
        )
        obj.pk = article.pk
        obj.refresh_from_db()

    def get_readonly_fields(self, request, obj=None):
        # The external id is the article's identity in imports and URLs.
        return [*self.readonly_fields, "external_id"] if obj else self.readonly_fields


class FeedbackAdmin(admin.ModelAdmin):
    """What readers said is read, never written, in the admin."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(ArticleFeedback)
class ArticleFeedbackAdmin(FeedbackAdmin):
    list_display = ["article", "helpful", "channel", "created_at", "comment"]
    list_filter = ["helpful", "channel"]
    list_select_related = ["article"]
    readonly_fields = ["article", "helpful", "comment", "channel", "created_at"]


@admin.register(PageFeedback)
class PageFeedbackAdmin(FeedbackAdmin):
    list_display = ["path", "helpful", "created_on", "comment"]
    list_filter = ["helpful", "created_on"]
    search_fields = ["path"]
    readonly_fields = ["path", "helpful", "comment", "created_on"]
