from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kordon.agencies import services
from kordon.agencies.models import Agency, AgencyNotice, Group, Member, Scope, Token, WebhookDelivery
from kordon.audit.services import Actor


class MemberInline(admin.TabularInline[Member, Agency]):
    model = Member
    extra = 0
    autocomplete_fields = ["user"]


class TokenInline(admin.TabularInline[Token, Agency]):
    model = Token
    extra = 0
    fields = ["name", "scopes", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["name", "scopes", "created_at", "last_used_at", "revoked_at"]
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # tokens are issued on their own page, which shows the secret once


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin[Agency]):
    list_display = ["name", "contact_email", "is_active", "webhook_url", "created_at"]
    search_fields = ["name"]
    readonly_fields = ["webhook_secret"]
    inlines = [MemberInline, TokenInline]


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(admin.ModelAdmin[WebhookDelivery]):
    list_display = ["agency", "event", "notice", "status", "attempts", "last_status_code", "created_at",
                    "delivered_at"]
    list_filter = ["agency", "status", "event"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TokenForm(forms.ModelForm[Token]):
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple,
                                       initial=list(Scope.values), label=gettext_lazy("scopes"))

    class Meta:
        model = Token
        fields = ["agency", "name", "scopes"]


@admin.register(Token)
class TokenAdmin(admin.ModelAdmin[Token]):
    list_display = ["name", "agency", "scopes", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["agency"]
    form = TokenForm
    actions = ["revoke"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: Token, form: Any, change: bool) -> None:
        issued = services.issue_token(obj.agency, obj.name, form.cleaned_data["scopes"], Actor.of_user(request.user))
        obj.pk = issued.token.pk
        self.message_user(request, _("Token “%(name)s” issued. Copy it now, it is shown only once: %(token)s")
                          % {"name": issued.token.name, "token": issued.raw}, messages.WARNING)

    @admin.action(description=gettext_lazy("Revoke: the token stops working at once"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[Token]) -> None:
        for token in queryset:
            services.revoke_token(token, Actor.of_user(request.user))
        self.message_user(request, _("Revoked."), messages.SUCCESS)


@admin.register(Group)
class GroupAdmin(admin.ModelAdmin[Group]):
    list_display = ["name", "agency", "created_at"]
    list_filter = ["agency"]


@admin.register(AgencyNotice)
class AgencyNoticeAdmin(admin.ModelAdmin[AgencyNotice]):
    list_display = ["notice", "agency", "group", "created_at"]
    list_filter = ["agency"]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
