from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.initiatives.models import (
    Answer,
    Application,
    Call,
    Choice,
    Cohort,
    CohortEnterprise,
    CohortOrganization,
    Criterion,
    Initiative,
    Lesson,
    Question,
    Score,
    TrainingCompletion,
    TrainingModule,
)


class CohortInline(admin.TabularInline):
    model = Cohort
    extra = 0
    fields = ["name", "start", "end"]
    show_change_link = True


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["name", "coordinating_body", "created_at"]
    search_fields = ["name", "coordinating_body"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [CohortInline]


class CohortOrganizationInline(admin.TabularInline):
    model = CohortOrganization
    extra = 0
    autocomplete_fields = ["organization"]
    readonly_fields = ["added_by"]


class CohortEnterpriseInline(admin.TabularInline):
    model = CohortEnterprise
    extra = 0
    autocomplete_fields = ["enterprise"]
    readonly_fields = ["application", "added_by"]


@admin.register(Cohort)
class CohortAdmin(SimpleHistoryAdmin):
    list_display = ["name", "initiative", "start", "end"]
    list_filter = ["initiative"]
    search_fields = ["name", "initiative__name"]
    inlines = [CohortOrganizationInline, CohortEnterpriseInline]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(SimpleHistoryAdmin):
    list_display = ["cohort", "opens_on", "closes_on", "is_open"]
    list_filter = ["is_open", "cohort__initiative"]
    readonly_fields = ["created_by"]
    inlines = [CriterionInline]


class AnswerInline(admin.StackedInline):
    model = Answer
    extra = 0
    readonly_fields = ["criterion", "text"]
    can_delete = False


class ScoreInline(admin.TabularInline):
    model = Score
    extra = 0
    readonly_fields = ["scored_by", "scored_at"]


@admin.register(Application)
class ApplicationAdmin(SimpleHistoryAdmin):
    """Decisions are taken on the review page (they notify and enrol); here they are read."""

    list_display = ["enterprise", "call", "status", "submitted_at", "decided_at"]
    list_filter = ["status", "call__cohort"]
    search_fields = ["enterprise__name"]
    readonly_fields = [
        "call",
        "enterprise",
        "submitted_by",
        "submitted_at",
        "status",
        "decision_reason",
        "decided_by",
        "decided_at",
    ]
    inlines = [AnswerInline, ScoreInline]


class LessonInline(admin.StackedInline):
    model = Lesson
    extra = 0


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0
    fields = ["position", "text_fr", "text_en"]
    show_change_link = True


@admin.register(TrainingModule)
class TrainingModuleAdmin(admin.ModelAdmin):
    list_display = ["title_fr", "title_en", "position", "pass_percent", "is_published"]
    list_editable = ["position", "is_published"]
    prepopulated_fields = {"slug": ["title_fr"]}
    inlines = [LessonInline, QuestionInline]


class ChoiceInline(admin.TabularInline):
    model = Choice
    extra = 0


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text_fr", "module", "position"]
    list_filter = ["module"]
    inlines = [ChoiceInline]


@admin.register(TrainingCompletion)
class TrainingCompletionAdmin(admin.ModelAdmin):
    list_display = ["user", "module", "organization", "score", "completed_at"]
    list_filter = ["module", "organization"]
    search_fields = ["user__email"]
    autocomplete_fields = ["user", "organization"]
