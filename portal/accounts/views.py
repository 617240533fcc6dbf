from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.authtoken.models import Token

from portal.accounts.forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


@login_required
def account(request):
    memberships = request.user.memberships.select_related("organization").order_by(
        "organization__name"
    )
    token = Token.objects.filter(user=request.user).first()
    return render(
        request,
        "accounts/account.html",
        {"memberships": memberships, "token": token},
    )


@login_required
@require_POST
def regenerate_token(request):
    Token.objects.filter(user=request.user).delete()
    Token.objects.create(user=request.user)
    messages.success(request, _("A new API token was created. The previous one no longer works."))
    return redirect("accounts:account")
