/** The demo workspace's name, light enough for the CLI's help without loading the demo world. */
export const demoWorkspaceName = 'Northwind Robotics'
