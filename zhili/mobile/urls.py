app_name = "mobile"
urlpatterns: list = []
