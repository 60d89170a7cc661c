from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy

from mooc.accounts.views import account, auth, mfa, password

app_name = "accounts"

urlpatterns = [
    path("daftar/", auth.register, name="register"),
    path("daftar/terkirim/", auth.register_done, name="register_done"),
    path("aktivasi/<str:token>/", auth.activate, name="activate"),
    path("kirim-ulang-verifikasi/", auth.resend_activation, name="resend_activation"),
    path("login/", auth.login_view, name="login"),
    path("logout/", auth.logout_view, name="logout"),
    path("lupa-password/", password.forgot_password, name="forgot_password"),
    path("lupa-password/password-baru/", password.set_password, name="set_password"),
    path("bukan-saya/<str:token>/", password.not_me, name="not_me"),
    path("akun-baru/<str:token>/", password.account_setup, name="account_setup"),
    path("profil/", account.profile, name="profile"),
    path("profil/email/", account.email_change, name="email_change"),
    path("profil/email/<str:token>/", account.email_confirm, name="email_confirm"),
    path("profil/foto/", account.photo, name="photo"),
    path("pengaturan/", account.change_password, name="change_password"),
    path(
        "pengaturan/perangkat/<int:device_id>/keluar/",
        account.device_sign_out,
        name="device_sign_out",
    ),
    path("verifikasi-dua-langkah/", mfa.verify, name="mfa_verify"),
    path("verifikasi-dua-langkah/aktifkan/", mfa.enrol, name="mfa_enrol"),
    path("verifikasi-dua-langkah/kode-pemulihan/", mfa.recovery_codes, name="mfa_recovery_codes"),
    path("verifikasi-dua-langkah/nonaktifkan/", mfa.disable, name="mfa_disable"),
    # PASSWORD_RESET_FLOW=email_link: Django's reset-link pages.
    path(
        "lupa-password/terkirim/",
        auth_views.PasswordResetDoneView.as_view(template_name="accounts/password_reset_sent.html"),
        name="password_reset_sent",
    ),
    path(
        "lupa-password/tautan/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/set_password.html",
            success_url=reverse_lazy("accounts:login"),
            post_reset_login=False,
        ),
        name="password_reset_confirm",
    ),
]
