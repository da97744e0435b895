# Build and run the API. Migrations and the seed (db/) ship inside the image; the API applies them at start-up.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /repo
COPY Directory.Build.props Directory.Packages.props global.json ./
COPY src/ src/
COPY db/ db/
RUN dotnet publish src/EvidenceApi -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://+:8080
EXPOSE 8080
USER app
ENTRYPOINT ["dotnet", "EvidenceApi.dll"]
