"""What the hub serves to browsers: the GraphQL IDE now, the console later."""
