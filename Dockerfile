# One image for every role: `node dist/src/main.js all|api|worker`.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY workers ./workers
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY policies ./policies
COPY models ./models
# The decorum CLI (npx decorum …); without tsx in the image it runs the build.
COPY bin ./bin
# The dashboard's static files and the Redis scripts are read from the source tree, not compiled.
COPY src/dashboard/public ./src/dashboard/public
COPY src/store/lua ./src/store/lua
# So is the API reference's page (its renderer is the swagger-ui-dist package in node_modules).
COPY src/api/docs-page ./src/api/docs-page
USER node
EXPOSE 3000
CMD ["node", "dist/src/main.js", "all"]
