from django.shortcuts import render


def index(request):
    return render(request, "initiatives/index.html")
